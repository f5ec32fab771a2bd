// Purchasing (进): orders, receipts, returns, bills.
export default {
  'zh-CN': {
    purchase: {
      nav: {
        orders: '采购订单', newOrder: '新建采购订单', order: '采购订单', receive: '扫码收货', receipts: '采购入库单', receipt: '采购入库单',
        returns: '采购退货单', return: '采购退货单', bills: '采购发票', bill: '采购发票',
      },
    },
  },
  en: {
    purchase: {
      nav: {
        orders: 'Purchase orders', newOrder: 'New purchase order', order: 'Purchase order', receive: 'Receive by scanning', receipts: 'Purchase receipts',
        receipt: 'Purchase receipt', returns: 'Purchase returns', return: 'Purchase return', bills: 'Supplier bills', bill: 'Supplier bill',
      },
    },
  },
}
