// The sidebar: modules in the order a 进销存 user expects. Entries without the
// user's permission are hidden (the API still refuses them).
import { COUNTER_SALES } from '../views/pos/usePos'

export interface MenuEntry {
  path: string
  title: string
  /** The permission the entry needs; a list: any one of them. */
  perm?: string | string[]
  /** Administrators only (not a permission a role can grant). */
  admin?: boolean
  /** A thin line above the entry: the start of a group. */
  divided?: boolean
  /** A count shown beside the entry (see Shell: the stock alerts). */
  badge?: 'stockAlerts'
}
export interface MenuModule {
  key: string
  title: string
  icon: string
  entries: MenuEntry[]
}

export const menu: MenuModule[] = [
  // The counter (收银台) opens full screen, outside this layout.
  { key: 'pos', title: 'pos.nav', icon: 'Monitor', entries: [{ path: '/pos', title: 'pos.nav', perm: 'sales.pos.use' }] },
  {
    key: 'purchase',
    title: 'nav.purchase',
    icon: 'ShoppingCart',
    entries: [
      { path: '/purchase/orders', title: 'purchase.nav.orders', perm: 'purchase.order.read' },
      { path: '/purchase/orders/new', title: 'purchase.nav.newOrder', perm: 'purchase.order.write' },
      { path: '/purchase/receive', title: 'purchase.nav.receive', perm: 'purchase.receipt.write', divided: true },
      { path: '/purchase/receipts', title: 'purchase.nav.receipts', perm: 'purchase.receipt.read' },
      { path: '/purchase/returns', title: 'purchase.nav.returns', perm: 'purchase.receipt.read' },
      { path: '/purchase/bills', title: 'purchase.nav.bills', perm: 'purchase.bill.read', divided: true },
      { path: '/purchase/landed-costs', title: 'purchasing.nav.landedCosts', perm: 'purchase.bill.read' },
      // Planning: what to buy, asking for prices, how much may be spent, how suppliers deliver
      { path: '/purchase/replenishment', title: 'purchasing.nav.replenishment', perm: 'purchase.order.read', divided: true },
      { path: '/purchase/requisitions', title: 'purchasing.nav.requisitions', perm: 'purchase.requisition.read' },
      { path: '/purchase/rfqs', title: 'purchasing.nav.rfqs', perm: 'purchase.order.read' },
      { path: '/purchase/budgets', title: 'purchasing.nav.budgets', perm: 'purchase.budget.read' },
      { path: '/purchase/scorecards', title: 'purchasing.nav.scorecards', perm: 'purchase.order.read' },
    ],
  },
  {
    key: 'sales',
    title: 'nav.sales',
    icon: 'Sell',
    entries: [
      { path: '/sales/quotes', title: 'sales.nav.quotes', perm: 'sales.order.read' },
      { path: '/sales/orders', title: 'sales.nav.orders', perm: 'sales.order.read' },
      { path: '/sales/orders/new', title: 'sales.nav.newOrder', perm: 'sales.order.write' },
      { path: '/sales/shipments', title: 'sales.nav.shipments', perm: 'sales.shipment.read', divided: true },
      { path: '/sales/returns', title: 'sales.nav.returns', perm: 'sales.shipment.read' },
      { path: '/sales/counter-sales', title: 'pos.list.nav', perm: COUNTER_SALES, divided: true },
      { path: '/sales/invoices', title: 'sales.nav.invoices', perm: 'sales.invoice.read', divided: true },
      { path: '/sales/salespeople', title: 'salespeople.nav', perm: 'report.sales.read', divided: true },
    ],
  },
  {
    key: 'stock',
    title: 'nav.stock',
    icon: 'Box',
    entries: [
      // Looking up
      { path: '/stock/balances', title: 'stock.nav.balances', perm: 'stock.balance.read' },
      { path: '/stock/alerts', title: 'stock.nav.alerts', perm: 'stock.balance.read', badge: 'stockAlerts' },
      { path: '/stock/ledger', title: 'stock.nav.ledger', perm: 'stock.balance.read' },
      { path: '/stock/movements', title: 'stock.nav.movements', perm: 'report.stock.read' },
      { path: '/stock/serials', title: 'stock.nav.serials', perm: 'stock.balance.read' },
      // Documents
      { path: '/stock/documents', title: 'stock.nav.documents', perm: 'stock.document.read', divided: true },
      { path: '/stock/documents/new?type=stock_opening', title: 'stock.nav.newOpening', perm: 'stock.document.write' },
      { path: '/stock/documents/new?type=stock_in', title: 'stock.nav.newIn', perm: 'stock.document.write' },
      { path: '/stock/documents/new?type=stock_out', title: 'stock.nav.newOut', perm: 'stock.document.write' },
      { path: '/stock/documents/new?type=stock_transfer', title: 'stock.nav.newTransfer', perm: 'stock.document.write' },
      { path: '/stock/in-transit', title: 'stock.nav.inTransit', perm: 'stock.document.read' },
      { path: '/stock/stocktakes', title: 'stock.nav.stocktake', perm: 'stock.document.read' },
      { path: '/stock/documents/new?type=assembly', title: 'stock.nav.newAssembly', perm: 'stock.document.write' },
      { path: '/stock/documents/new?type=disassembly', title: 'stock.nav.newDisassembly', perm: 'stock.document.write' },
      // Set-up and closing
      { path: '/stock/boms', title: 'stock.nav.boms', perm: 'data.item.read', divided: true },
      { path: '/stock/periods', title: 'stock.nav.periods', perm: 'stock.balance.read' },
    ],
  },
  {
    key: 'finance',
    title: 'nav.finance',
    icon: 'Wallet',
    entries: [
      { path: '/finance/payables', title: 'payables.nav.payables', perm: 'finance.payment.read' },
      { path: '/finance/payments', title: 'payables.nav.payments', perm: 'finance.payment.read' },
      { path: '/finance/payments/new', title: 'payables.nav.newPayment', perm: 'finance.payment.write' },
      { path: '/finance/statements', title: 'payables.nav.statement', perm: 'finance.payment.read' },
      // Customers (应收)
      { path: '/finance/receivables', title: 'receivables.nav.payables', perm: 'finance.receipt.read', divided: true },
      { path: '/finance/receipts', title: 'receivables.nav.payments', perm: 'finance.receipt.read' },
      { path: '/finance/receipts/new', title: 'receivables.nav.newPayment', perm: 'finance.receipt.write' },
      { path: '/finance/customer-statements', title: 'receivables.nav.statement', perm: 'finance.receipt.read' },
    ],
  },
  {
    key: 'reports',
    title: 'nav.reports',
    icon: 'DataAnalysis',
    entries: [
      { path: '/reports/sales', title: 'reports.nav.sales', perm: 'report.sales.read' },
      { path: '/reports/purchases', title: 'reports.nav.purchases', perm: 'report.purchase.read' },
      { path: '/reports/abc', title: 'reports.nav.abc', perm: 'report.sales.read' },
      { path: '/reports/ageing', title: 'reports.nav.ageing', perm: 'report.stock.read' },
      // The reports that grew up in their own modules, found here too.
      { path: '/sales/salespeople', title: 'reports.nav.salespeople', perm: 'report.sales.read' },
      { path: '/stock/movements', title: 'reports.nav.movements', perm: 'report.stock.read' },
    ],
  },
  {
    key: 'data',
    title: 'nav.data',
    icon: 'Collection',
    entries: [
      { path: '/data/items', title: 'nav.items', perm: 'data.item.read' },
      { path: '/data/partners', title: 'nav.partners', perm: 'data.partner.read' },
      { path: '/data/warehouses', title: 'nav.warehouses', perm: 'data.warehouse.read' },
      { path: '/data/price-lists', title: 'nav.priceLists', perm: 'data.price_list.read' },
      { path: '/data/promotions', title: 'promotions.nav', perm: 'data.price_list.read' },
      { path: '/data/accounts', title: 'nav.accounts', perm: 'finance.account.read' },
      { path: '/data/categories', title: 'nav.categories', perm: 'data.category.read' },
      { path: '/data/brands', title: 'nav.brands', perm: 'data.brand.read' },
      { path: '/data/units', title: 'nav.units', perm: 'data.unit.read' },
    ],
  },
  {
    key: 'settings',
    title: 'nav.settings',
    icon: 'Setting',
    entries: [
      { path: '/settings/company', title: 'nav.company', perm: 'settings.company.read' },
      { path: '/settings/users', title: 'nav.users', perm: 'settings.user.read' },
      { path: '/settings/roles', title: 'nav.roles', perm: 'settings.role.read' },
      { path: '/settings/tokens', title: 'nav.tokens' },
      { path: '/settings/audit', title: 'nav.audit', perm: 'settings.audit.read' },
      { path: '/settings/backup', title: 'nav.backup', admin: true },
    ],
  },
]
