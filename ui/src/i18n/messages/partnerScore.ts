// The supplier scorecard card on a supplier's page.
export default {
  'zh-CN': {
    partnerScore: {
      title: '供应商评分（近一年）',
      score: '综合评分',
      onTime: '准时率',
      fill: '满足率',
      reject: '拒收率',
      lead: '平均交货周期',
      days: '{n} 天',
      scoreTip: '准时率 40%、满足率 40%、（100 − 拒收率）20%，只算有数据的项',
      onTimeTip: '{of} 次按订单到货中，{n} 次在预计到货日或之前',
      fillTip: '{orders} 张到期订单共订 {of}，合格到货 {n}（基本单位）',
      rejectTip: '到货 {of}，拒收 {n}（基本单位）',
      leadTip: '按 {n} 张有到货的订单计算，下单到首次到货',
    },
  },
  en: {
    partnerScore: {
      title: 'Supplier score (last year)',
      score: 'Score',
      onTime: 'On time',
      fill: 'Fill rate',
      reject: 'Rejected',
      lead: 'Average lead time',
      days: '{n} days',
      scoreTip: 'On time 40 %, fill rate 40 %, (100 − rejected) 20 %, over the figures that have data',
      onTimeTip: '{n} of {of} deliveries against orders came by the expected date',
      fillTip: '{orders} due orders: {of} ordered, {n} accepted (base units)',
      rejectTip: '{of} delivered, {n} rejected (base units)',
      leadTip: 'From order to first delivery, over {n} orders with a delivery',
    },
  },
}
