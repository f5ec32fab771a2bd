import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useSession } from '../stores/session'
import { COUNTER_SALES, landsOnCounter } from '../views/pos/usePos'

// meta.title is an i18n key; meta.perm hides the page (and its menu entry)
// from users without the permission (a list: without any of them); the API
// enforces it again.
declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    perm?: string | string[]
    /** Administrators only. */
    admin?: boolean
    module?: string
    public?: boolean
    /** Purchasing and sales: which document kind a shared view shows (orders, receipts, returns, bills; quotes, shipments, invoices). */
    kind?: string
    /** The trade and money views shared by both sides: 'sales' (customers, 应收) or purchasing (suppliers, 应付) when left out. */
    side?: 'sales'
  }
}

export const routes: RouteRecordRaw[] = [
  { path: '/setup', component: () => import('../views/SetupView.vue'), meta: { public: true, title: 'auth.setupTitle' } },
  { path: '/login', component: () => import('../views/LoginView.vue'), meta: { public: true, title: 'auth.login' } },
  // The counter fills the screen: no menu, its own top bar.
  { path: '/pos', component: () => import('../views/pos/CounterView.vue'), meta: { title: 'pos.nav', perm: 'sales.pos.use' } },
  {
    path: '/',
    component: () => import('../layout/Shell.vue'),
    children: [
      { path: '', component: () => import('../views/HomeView.vue'), meta: { title: 'nav.home' } },
      { path: 'data/items', component: () => import('../views/items/ItemsList.vue'), meta: { title: 'nav.items', perm: 'data.item.read', module: 'data' } },
      { path: 'data/items/new', component: () => import('../views/items/ItemEdit.vue'), meta: { title: 'items.new', perm: 'data.item.write', module: 'data' } },
      { path: 'data/items/:id', component: () => import('../views/items/ItemEdit.vue'), meta: { title: 'items.edit', perm: 'data.item.read', module: 'data' } },
      { path: 'data/partners', component: () => import('../views/partners/PartnersList.vue'), meta: { title: 'nav.partners', perm: 'data.partner.read', module: 'data' } },
      { path: 'data/partners/new', component: () => import('../views/partners/PartnerEdit.vue'), meta: { title: 'partners.new', perm: 'data.partner.write', module: 'data' } },
      { path: 'data/partners/:id', component: () => import('../views/partners/PartnerEdit.vue'), meta: { title: 'partners.edit', perm: 'data.partner.read', module: 'data' } },
      { path: 'data/price-lists', component: () => import('../views/partners/PriceListsList.vue'), meta: { title: 'nav.priceLists', perm: 'data.price_list.read', module: 'data' } },
      { path: 'data/price-lists/new', component: () => import('../views/partners/PriceListEdit.vue'), meta: { title: 'priceLists.new', perm: 'data.price_list.write', module: 'data' } },
      { path: 'data/price-lists/:id', component: () => import('../views/partners/PriceListEdit.vue'), meta: { title: 'priceLists.edit', perm: 'data.price_list.read', module: 'data' } },
      { path: 'data/promotions', component: () => import('../views/partners/PromotionsView.vue'), meta: { title: 'promotions.nav', perm: 'data.price_list.read', module: 'data' } },
      { path: 'data/warehouses', component: () => import('../views/catalog/WarehousesView.vue'), meta: { title: 'nav.warehouses', perm: 'data.warehouse.read', module: 'data' } },
      { path: 'data/units', component: () => import('../views/catalog/UnitsView.vue'), meta: { title: 'nav.units', perm: 'data.unit.read', module: 'data' } },
      { path: 'data/categories', component: () => import('../views/catalog/CategoriesView.vue'), meta: { title: 'nav.categories', perm: 'data.category.read', module: 'data' } },
      { path: 'data/brands', component: () => import('../views/catalog/BrandsView.vue'), meta: { title: 'nav.brands', perm: 'data.brand.read', module: 'data' } },
      { path: 'data/accounts', component: () => import('../views/finance/AccountsView.vue'), meta: { title: 'nav.accounts', perm: 'finance.account.read', module: 'data' } },
      { path: 'settings/company', component: () => import('../views/settings/CompanyView.vue'), meta: { title: 'nav.company', perm: 'settings.company.read', module: 'settings' } },
      { path: 'settings/users', component: () => import('../views/settings/UsersView.vue'), meta: { title: 'nav.users', perm: 'settings.user.read', module: 'settings' } },
      { path: 'settings/roles', component: () => import('../views/settings/RolesView.vue'), meta: { title: 'nav.roles', perm: 'settings.role.read', module: 'settings' } },
      { path: 'settings/tokens', component: () => import('../views/settings/TokensView.vue'), meta: { title: 'nav.tokens', module: 'settings' } },
      { path: 'settings/audit', component: () => import('../views/settings/AuditView.vue'), meta: { title: 'nav.audit', perm: 'settings.audit.read', module: 'settings' } },
      { path: 'settings/backup', component: () => import('../views/settings/BackupView.vue'), meta: { title: 'nav.backup', admin: true, module: 'settings' } },
      { path: 'profile', component: () => import('../views/ProfileView.vue'), meta: { title: 'nav.profile' } },
      // Purchasing (进): one list and one editor for the document kinds; meta.kind picks the kind.
      { path: 'purchase', redirect: '/purchase/orders', meta: { module: 'purchase' } },
      { path: 'purchase/orders', component: () => import('../views/purchase/PurchaseList.vue'), meta: { title: 'purchase.nav.orders', perm: 'purchase.order.read', module: 'purchase', kind: 'orders' } },
      { path: 'purchase/receipts', component: () => import('../views/purchase/PurchaseList.vue'), meta: { title: 'purchase.nav.receipts', perm: 'purchase.receipt.read', module: 'purchase', kind: 'receipts' } },
      { path: 'purchase/returns', component: () => import('../views/purchase/PurchaseList.vue'), meta: { title: 'purchase.nav.returns', perm: 'purchase.receipt.read', module: 'purchase', kind: 'returns' } },
      { path: 'purchase/bills', component: () => import('../views/purchase/PurchaseList.vue'), meta: { title: 'purchase.nav.bills', perm: 'purchase.bill.read', module: 'purchase', kind: 'bills' } },
      { path: 'purchase/orders/:id(\\d+|new)', component: () => import('../views/purchase/PurchaseEdit.vue'), meta: { title: 'purchase.nav.order', perm: 'purchase.order.read', module: 'purchase', kind: 'orders' } },
      { path: 'purchase/receipts/:id(\\d+|new)', component: () => import('../views/purchase/PurchaseEdit.vue'), meta: { title: 'purchase.nav.receipt', perm: 'purchase.receipt.read', module: 'purchase', kind: 'receipts' } },
      { path: 'purchase/returns/:id(\\d+|new)', component: () => import('../views/purchase/PurchaseEdit.vue'), meta: { title: 'purchase.nav.return', perm: 'purchase.receipt.read', module: 'purchase', kind: 'returns' } },
      { path: 'purchase/bills/:id(\\d+|new)', component: () => import('../views/purchase/PurchaseEdit.vue'), meta: { title: 'purchase.nav.bill', perm: 'purchase.bill.read', module: 'purchase', kind: 'bills' } },
      { path: 'purchase/receive', component: () => import('../views/purchase/ReceiveView.vue'), meta: { title: 'purchase.nav.receive', perm: 'purchase.receipt.write', module: 'purchase' } },
      // Purchase planning: requisitions, RFQs with quotes compared, landed costs (one list, kind from meta), budgets, replenishment, scorecards.
      { path: 'purchase/requisitions', component: () => import('../views/purchase/PurchasingList.vue'), meta: { title: 'purchasing.nav.requisitions', perm: 'purchase.requisition.read', module: 'purchase', kind: 'requisitions' } },
      { path: 'purchase/requisitions/:id(\\d+|new)', component: () => import('../views/purchase/RequisitionEdit.vue'), meta: { title: 'purchasing.nav.requisition', perm: 'purchase.requisition.read', module: 'purchase' } },
      { path: 'purchase/rfqs', component: () => import('../views/purchase/PurchasingList.vue'), meta: { title: 'purchasing.nav.rfqs', perm: 'purchase.order.read', module: 'purchase', kind: 'rfqs' } },
      { path: 'purchase/rfqs/:id(\\d+|new)', component: () => import('../views/purchase/RfqEdit.vue'), meta: { title: 'purchasing.nav.rfq', perm: 'purchase.order.read', module: 'purchase' } },
      { path: 'purchase/landed-costs', component: () => import('../views/purchase/PurchasingList.vue'), meta: { title: 'purchasing.nav.landedCosts', perm: 'purchase.bill.read', module: 'purchase', kind: 'landed-costs' } },
      { path: 'purchase/landed-costs/:id(\\d+|new)', component: () => import('../views/purchase/LandedCostEdit.vue'), meta: { title: 'purchasing.nav.landedCost', perm: 'purchase.bill.read', module: 'purchase' } },
      { path: 'purchase/budgets', component: () => import('../views/purchase/BudgetsView.vue'), meta: { title: 'purchasing.nav.budgets', perm: 'purchase.budget.read', module: 'purchase' } },
      { path: 'purchase/replenishment', component: () => import('../views/purchase/ReplenishView.vue'), meta: { title: 'purchasing.nav.replenishment', perm: 'purchase.order.read', module: 'purchase' } },
      { path: 'purchase/scorecards', component: () => import('../views/purchase/ScorecardView.vue'), meta: { title: 'purchasing.nav.scorecards', perm: 'purchase.order.read', module: 'purchase' } },
      // Sales (销): the purchasing list and editor on the other side (meta.side), kind from meta.
      { path: 'sales', redirect: '/sales/orders', meta: { module: 'sales' } },
      { path: 'sales/salespeople', component: () => import('../views/sales/SalespeopleView.vue'), meta: { title: 'salespeople.nav', perm: 'report.sales.read', module: 'sales' } },
      // The counter's sales and returns, looked up from the back office: by whoever may read them or ring them up.
      { path: 'sales/counter-sales', component: () => import('../views/pos/CounterSalesList.vue'), meta: { title: 'pos.list.nav', perm: COUNTER_SALES, module: 'sales' } },
      ...(['quotes', 'orders', 'shipments', 'returns', 'invoices'] as const).flatMap((kind): RouteRecordRaw[] => {
        const perm = { quotes: 'sales.order.read', orders: 'sales.order.read', shipments: 'sales.shipment.read', returns: 'sales.shipment.read', invoices: 'sales.invoice.read' }[kind]
        const one = { quotes: 'quote', orders: 'order', shipments: 'shipment', returns: 'return', invoices: 'invoice' }[kind]
        const meta = { perm, module: 'sales', kind, side: 'sales' as const }
        return [
          { path: `sales/${kind}`, component: () => import('../views/purchase/PurchaseList.vue'), meta: { ...meta, title: `sales.nav.${kind}` } },
          { path: `sales/${kind}/:id(\\d+|new)`, component: () => import('../views/purchase/PurchaseEdit.vue'), meta: { ...meta, title: `sales.nav.${one}` } },
        ]
      }),
      { path: 'stock', redirect: () => (useSession().can('stock.balance.read') ? '/stock/balances' : '/stock/documents'), meta: { module: 'stock' } },
      { path: 'stock/balances', component: () => import('../views/stock/BalancesView.vue'), meta: { title: 'stock.nav.balances', perm: 'stock.balance.read', module: 'stock' } },
      { path: 'stock/ledger', component: () => import('../views/stock/LedgerView.vue'), meta: { title: 'stock.nav.ledger', perm: 'stock.balance.read', module: 'stock' } },
      { path: 'stock/movements', component: () => import('../views/stock/MovementsView.vue'), meta: { title: 'stock.nav.movements', perm: 'report.stock.read', module: 'stock' } },
      { path: 'stock/documents', component: () => import('../views/stock/DocumentsList.vue'), meta: { title: 'stock.nav.documents', perm: 'stock.document.read', module: 'stock' } },
      // One record for new and existing documents: saving a new one only changes the parameter.
      { path: 'stock/documents/:id(\\d+|new)', component: () => import('../views/stock/DocumentEdit.vue'), meta: { title: 'stock.nav.document', perm: 'stock.document.read', module: 'stock' } },
      { path: 'stock/in-transit', component: () => import('../views/stock/InTransitView.vue'), meta: { title: 'stock.nav.inTransit', perm: 'stock.document.read', module: 'stock' } },
      { path: 'stock/stocktakes', component: () => import('../views/stock/StocktakeStart.vue'), meta: { title: 'stock.nav.stocktake', perm: 'stock.document.read', module: 'stock' } },
      { path: 'stock/stocktakes/:id(\\d+)', component: () => import('../views/stock/StocktakeView.vue'), meta: { title: 'stock.nav.stocktakeSheet', perm: 'stock.document.read', module: 'stock' } },
      { path: 'stock/alerts', component: () => import('../views/stock/AlertsView.vue'), meta: { title: 'stock.nav.alerts', perm: 'stock.balance.read', module: 'stock' } },
      { path: 'stock/serials', component: () => import('../views/stock/SerialsView.vue'), meta: { title: 'stock.nav.serials', perm: 'stock.balance.read', module: 'stock' } },
      { path: 'stock/boms', component: () => import('../views/stock/BomView.vue'), meta: { title: 'stock.nav.boms', perm: 'data.item.read', module: 'stock' } },
      { path: 'stock/periods', component: () => import('../views/stock/PeriodsView.vue'), meta: { title: 'stock.nav.periods', perm: 'stock.balance.read', module: 'stock' } },
      // Money (资金): payments to suppliers, what is owed, statements.
      { path: 'finance', redirect: '/finance/payables', meta: { module: 'finance' } },
      { path: 'finance/payables', component: () => import('../views/finance/PayablesView.vue'), meta: { title: 'payables.nav.payables', perm: 'finance.payment.read', module: 'finance' } },
      { path: 'finance/payments', component: () => import('../views/finance/PaymentsList.vue'), meta: { title: 'payables.nav.payments', perm: 'finance.payment.read', module: 'finance' } },
      { path: 'finance/payments/:id(\\d+|new)', component: () => import('../views/finance/PaymentEdit.vue'), meta: { title: 'payables.nav.payment', perm: 'finance.payment.read', module: 'finance' } },
      { path: 'finance/statements', component: () => import('../views/finance/StatementView.vue'), meta: { title: 'payables.nav.statement', perm: 'finance.payment.read', module: 'finance' } },
      // Money from customers (应收): the same screens on the sales side.
      { path: 'finance/receivables', component: () => import('../views/finance/PayablesView.vue'), meta: { title: 'receivables.nav.payables', perm: 'finance.receipt.read', module: 'finance', side: 'sales' } },
      { path: 'finance/receipts', component: () => import('../views/finance/PaymentsList.vue'), meta: { title: 'receivables.nav.payments', perm: 'finance.receipt.read', module: 'finance', side: 'sales' } },
      { path: 'finance/receipts/:id(\\d+|new)', component: () => import('../views/finance/PaymentEdit.vue'), meta: { title: 'receivables.nav.payment', perm: 'finance.receipt.read', module: 'finance', side: 'sales' } },
      { path: 'finance/customer-statements', component: () => import('../views/finance/StatementView.vue'), meta: { title: 'receivables.nav.statement', perm: 'finance.receipt.read', module: 'finance', side: 'sales' } },
      // Reports (报表): the sales and purchase analyses, ABC analysis, stock ageing; the salesperson and movement reports live in their modules.
      { path: 'reports', redirect: '/reports/sales', meta: { module: 'reports' } },
      { path: 'reports/sales', component: () => import('../views/reports/SalesAnalysisView.vue'), meta: { title: 'reports.nav.sales', perm: 'report.sales.read', module: 'reports' } },
      { path: 'reports/purchases', component: () => import('../views/reports/PurchaseAnalysisView.vue'), meta: { title: 'reports.nav.purchases', perm: 'report.purchase.read', module: 'reports' } },
      { path: 'reports/abc', component: () => import('../views/reports/AbcView.vue'), meta: { title: 'reports.nav.abc', perm: 'report.sales.read', module: 'reports' } },
      { path: 'reports/ageing', component: () => import('../views/reports/AgeingView.vue'), meta: { title: 'reports.nav.ageing', perm: 'report.stock.read', module: 'reports' } },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to, from) => {
  const s = useSession()
  if (!s.loaded) await s.load()
  if (s.setupNeeded) return to.path === '/setup' ? true : '/setup'
  if (to.path === '/setup') return s.signedIn ? '/' : '/login'
  if (to.meta.public) return s.signedIn && to.path === '/login' ? '/' : true
  if (!s.signedIn) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  if (to.meta.perm && !s.can(to.meta.perm)) return '/'
  if (to.meta.admin && !s.me?.user?.is_admin) return '/'
  // A cashier starts at the counter (signing in, opening the app), and may still visit home from it.
  if (to.path === '/' && (from.path === '/login' || !from.matched.length) && landsOnCounter((p) => s.can(p), !!s.me?.user?.is_admin)) return '/pos'
  return true
})
