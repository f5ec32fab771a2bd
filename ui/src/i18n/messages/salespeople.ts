// 业务员业绩 (the report of sales, gross profit and collections per salesperson).
export default {
  'zh-CN': {
    salespeople: {
      nav: '业务员业绩',
      title: '业务员业绩',
      hint: '按单据日期统计：销售额为发货和零售的不含税金额减去退货；成本取自库存台账（含后来的成本重算）；回款为收款单加零售收款（储值除外）减零售退款。',
      name: '业务员',
      none: '（未指定）',
      sales: '销售额',
      returns: '退货额',
      netSales: '净销售额',
      cost: '销售成本',
      profit: '毛利',
      margin: '毛利率',
      collections: '回款',
      documents: '单据数',
      empty: '这段时间没有销售',
    },
  },
  en: {
    salespeople: {
      nav: 'Salespeople',
      title: 'Sales by salesperson',
      hint: 'By document date: sales are the net (without tax) of shipments and counter sales less returns; cost comes from the stock ledger (later re-costing included); collections are customer receipts plus counter takings (store credit aside) less counter refunds.',
      name: 'Salesperson',
      none: '(none)',
      sales: 'Sales',
      returns: 'Returns',
      netSales: 'Net sales',
      cost: 'Cost of goods',
      profit: 'Gross profit',
      margin: 'Margin',
      collections: 'Collections',
      documents: 'Documents',
      empty: 'No sales in this period',
    },
  },
}
