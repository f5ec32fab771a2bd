package domain

// Margin is gross profit as a share of net sales (毛利率), in percent with
// two decimals, rounded half away from zero: 25.00 for 250.00 of profit on
// 1,000.00. Nil when there are no net sales (nothing sold, or more
// returned than sold), where a share would mean nothing.
func Margin(profit, netSales Money) *Rate {
	if netSales <= 0 {
		return nil
	}
	v, ok := MulDivRound(int64(profit), int64(RateOf(100)), int64(netSales))
	if !ok {
		return nil
	}
	r := Rate(v)
	return &r
}
