// Money owed to suppliers (应付): payments, allocation (核销), ageing, statements.
export default {
  'zh-CN': {
    payables: {
      nav: { payables: '应付账款', payments: '付款单', payment: '付款单', newPayment: '新建付款', statement: '供应商对账单' },
    },
  },
  en: {
    payables: {
      nav: { payables: 'Payables', payments: 'Payments', payment: 'Payment', newPayment: 'New payment', statement: 'Supplier statement' },
    },
  },
}
