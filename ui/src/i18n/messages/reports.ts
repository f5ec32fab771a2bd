// The 报表 module: sales analysis (销售分析), purchase analysis (采购分析) and
// ABC analysis (ABC 分类).
export default {
  'zh-CN': {
    reports: {
      nav: { sales: '销售分析', purchases: '采购分析', abc: 'ABC 分类', salespeople: '业务员业绩', movements: '收发存汇总' },
      notBuilt: '库龄报表尚未完成。',
      sales: {
        hint: '已过账的送货单和收银销售，减去销售退货和收银退货；金额不含税，整单优惠已分摊到行；成本含事后调整。已红冲的单据不计入。点一行查看明细。',
        by: { item: '按商品', category: '按类别', customer: '按客户', salesperson: '按业务员', month: '按月份', day: '按日' },
        col: {
          code: '编码', name: '名称', month: '月份', day: '日期', unit: '单位', qty: '净销量', sales: '销售额', returns: '退货额', netSales: '净销售额',
          cost: '销售成本', grossProfit: '毛利', margin: '毛利率', documents: '单据数',
        },
        none: { item: '（无商品）', category: '（未分类）', customer: '零售客户', salesperson: '（未指定业务员）' },
        search: { item: '搜索商品编码、名称、助记码', category: '搜索类别编码、名称', customer: '搜索客户编码、名称', salesperson: '搜索用户名、姓名', month: '按月份时不可搜索', day: '按日时不可搜索' },
        totals: '合计',
        range: { thisMonth: '本月', lastMonth: '上月', thisYear: '今年', last30: '近 30 天' },
        filter: { customer: '客户：{name}', salesperson: '业务员：{name}', category: '类别：{name}', month: '月份：{name}' },
        allWarehouses: '全部仓库',
      },
      purchases: {
        hint: '已过账的采购入库单（按验收合格的数量），减去采购退货；金额不含税，已扣除行折扣和整单优惠；平均进价 = 净采购额 ÷ 净采购量。已红冲的单据不计入。点一行查看明细。',
        noCost: '你没有查看成本的权限：只显示数量和单据数，按编码排列。',
        by: { item: '按商品', category: '按类别', supplier: '按供应商', month: '按月份', day: '按日' },
        col: { qty: '净采购量', purchases: '采购额', returns: '退货额', netPurchases: '净采购额', avgCost: '平均进价' },
        none: { item: '（无商品）', category: '（未分类）', supplier: '（无供应商）' },
        search: { item: '搜索商品编码、名称、助记码', category: '搜索类别编码、名称', supplier: '搜索供应商编码、名称、助记码', month: '按月份时不可搜索', day: '按日时不可搜索' },
        filter: { category: '类别：{name}' },
        allSuppliers: '全部供应商',
        allItems: '全部商品',
      },
      abc: {
        hint: '按净销售额（送货单和收银销售减退货，不含税，已红冲的单据不计入）或毛利给商品排名：累计占比在本商品之前低于 A 线的为 A 类，低于 B 线的为 B 类，其余为 C 类；净额为零或负数的商品归 C 类，排在最后。点一行查看该商品的台账。',
        measure: { sales: '净销售额', profit: '毛利' },
        thresholdA: 'A 类线',
        thresholdB: 'B 类线',
        col: { rank: '排名', share: '占比', cumShare: '累计占比', class: '分类' },
        items: '{n} 个商品',
        allCategories: '全部类别',
      },
    },
  },
  en: {
    reports: {
      nav: { sales: 'Sales analysis', purchases: 'Purchase analysis', abc: 'ABC analysis', salespeople: 'Salespeople', movements: 'Movement summary' },
      notBuilt: 'The stock ageing report (库龄) is not built yet.',
      sales: {
        hint: 'Posted delivery notes and counter sales, less sales and counter returns; amounts without tax, the whole-bill discount spread over the lines; cost with later re-costing. Reversed documents are left out. Click a row to look inside it.',
        by: { item: 'By item', category: 'By category', customer: 'By customer', salesperson: 'By salesperson', month: 'By month', day: 'By day' },
        col: {
          code: 'Code', name: 'Name', month: 'Month', day: 'Day', unit: 'Unit', qty: 'Net qty', sales: 'Sales', returns: 'Returns', netSales: 'Net sales',
          cost: 'Cost of sales', grossProfit: 'Gross profit', margin: 'Margin', documents: 'Docs',
        },
        none: { item: '(no item)', category: '(no category)', customer: 'Walk-in customers', salesperson: '(no salesperson)' },
        search: { item: 'Search item code, name or 助记码', category: 'Search category code or name', customer: 'Search customer code or name', salesperson: 'Search user name or name', month: 'No search by month', day: 'No search by day' },
        totals: 'Totals',
        range: { thisMonth: 'This month', lastMonth: 'Last month', thisYear: 'This year', last30: 'Last 30 days' },
        filter: { customer: 'Customer: {name}', salesperson: 'Salesperson: {name}', category: 'Category: {name}', month: 'Month: {name}' },
        allWarehouses: 'All warehouses',
      },
      purchases: {
        hint: 'Posted purchase receipts (what passed inspection), less purchase returns; amounts without tax, after the line and whole-bill discounts; average cost = net purchases ÷ net quantity. Reversed documents are left out. Click a row to look inside it.',
        noCost: 'You may not see costs: quantities and document counts only, in code order.',
        by: { item: 'By item', category: 'By category', supplier: 'By supplier', month: 'By month', day: 'By day' },
        col: { qty: 'Net qty', purchases: 'Purchases', returns: 'Returns', netPurchases: 'Net purchases', avgCost: 'Avg cost' },
        none: { item: '(no item)', category: '(no category)', supplier: '(no supplier)' },
        search: { item: 'Search item code, name or 助记码', category: 'Search category code or name', supplier: 'Search supplier code, name or 助记码', month: 'No search by month', day: 'No search by day' },
        filter: { category: 'Category: {name}' },
        allSuppliers: 'All suppliers',
        allItems: 'All items',
      },
      abc: {
        hint: 'Items ranked by net sales (delivery notes and counter sales less returns, without tax, reversed documents left out) or gross profit: an item is class A while the cumulative share before it is below the A line, B while below the B line, else C; items with nothing or less net come last, as C. Click a row to open the item\'s ledger.',
        measure: { sales: 'Net sales', profit: 'Gross profit' },
        thresholdA: 'A line',
        thresholdB: 'B line',
        col: { rank: 'Rank', share: 'Share', cumShare: 'Cumulative', class: 'Class' },
        items: '{n} items',
        allCategories: 'All categories',
      },
    },
  },
}
