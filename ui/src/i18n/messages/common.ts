export default {
  'zh-CN': {
    range: {
      from: '开始日期', to: '结束日期', today: '今天', yesterday: '昨天', week: '本周', last7: '最近 7 天', last30: '最近 30 天',
      month: '本月', lastMonth: '上月', year: '今年',
    },
    app: { name: 'jxc 进销存', tagline: '进货、销售、库存，一个程序搞定' },
    nav: {
      home: '首页', purchase: '采购', sales: '销售', stock: '库存', finance: '财务', reports: '报表', data: '资料', settings: '设置',
      items: '商品', partners: '往来单位', warehouses: '仓库', units: '计量单位', categories: '商品分类', brands: '品牌', priceLists: '价格表', accounts: '资金账户',
      company: '公司设置', users: '用户', roles: '角色权限', tokens: 'API 令牌', audit: '审计日志', backup: '数据备份', profile: '个人设置',
    },
    action: {
      new: '新增', edit: '编辑', save: '保存', cancel: '取消', delete: '删除', archive: '停用', restore: '恢复', search: '搜索',
      reset: '重置', back: '返回', close: '关闭', confirm: '确定', refresh: '刷新', export: '导出', exportXlsx: '导出 Excel',
      exportCsv: '导出 CSV', columns: '列设置', add: '添加', remove: '移除', more: '更多', logout: '退出登录', print: '打印',
    },
    shell: {
      searchPlaceholder: '搜索商品（编码、名称、助记码、条码）或往来单位', searchItems: '商品', searchPartners: '往来单位', noResults: '没有找到',
      alerts: '提醒', noAlerts: '暂无提醒', language: '语言', company: '公司', switchCompany: '切换公司', menu: '菜单',
    },
    list: {
      total: '共 {n} 条', archived: '状态', active: '在用', archivedOnly: '已停用', all: '全部', empty: '暂无数据',
      confirmArchive: '停用后不能再用于新单据，旧单据不受影响。确定停用“{name}”？', confirmDelete: '确定删除“{name}”？此操作不能撤销。',
      inUse: '已被引用，不能删除，已改为建议停用', saved: '已保存', deleted: '已删除', archivedDone: '已停用', restoredDone: '已恢复',
      exportDone: '已导出 {n} 行', exportStarted: '正在下载：文件边生成边下载', searchHint: '搜索编码、名称或助记码', searchItemsHint: '搜索编码、名称、助记码或条码',
    },
    auth: {
      login: '登录', username: '用户名', password: '密码', loginTitle: '登录 jxc', setupTitle: '欢迎使用 jxc：创建管理员',
      setupIntro: '这是首次运行。请创建管理员账户（没有默认密码），并填写公司名称；若已加载演示数据，可留空以接管演示公司。',
      displayName: '显示名称', companyName: '公司名称', companyCode: '公司编码', passwordHint: '至少 10 位，包含字母和数字',
      create: '创建并登录', currentPassword: '当前密码', newPassword: '新密码', confirmPassword: '再次输入新密码',
      passwordMismatch: '两次输入的密码不一致', changePassword: '修改密码', passwordChanged: '密码已修改，请重新登录',
    },
    common: {
      yes: '是', no: '否', code: '编码', name: '名称', nameEn: '英文名称', mnemonic: '助记码', note: '备注', createdAt: '创建时间',
      updatedAt: '修改时间', status: '状态', operations: '操作', loading: '加载中…', required: '必填', optional: '选填',
    },
    home: {
      welcome: '你好，{name}', intro: '从左侧菜单开始：先维护基础资料，再录入单据。', quick: '常用', stats: '概况',
      items: '商品', partners: '往来单位', warehouses: '仓库',
      glance: {
        title: '经营概况', today: '今日销售', month: '本月销售', receivables: '应收账款', payables: '应付账款', money: '资金余额', alerts: '库存预警',
        profit: '毛利 {profit} · {margin}', trend: '近 30 天销售（净额，不含税）', more: '查看明细', partial: '部分数据暂时读不到，请稍后刷新。',
      },
    },
    error: { network: '无法连接服务器，请检查网络', unknown: '操作失败' },
  },
  en: {
    range: {
      from: 'Start date', to: 'End date', today: 'Today', yesterday: 'Yesterday', week: 'This week', last7: 'Last 7 days', last30: 'Last 30 days',
      month: 'This month', lastMonth: 'Last month', year: 'This year',
    },
    app: { name: 'jxc', tagline: 'Purchasing, sales and inventory in one program' },
    nav: {
      home: 'Home', purchase: 'Purchasing', sales: 'Sales', stock: 'Inventory', finance: 'Finance', reports: 'Reports', data: 'Master data', settings: 'Settings',
      items: 'Items', partners: 'Partners', warehouses: 'Warehouses', units: 'Units', categories: 'Categories', brands: 'Brands', priceLists: 'Price lists', accounts: 'Accounts',
      company: 'Company', users: 'Users', roles: 'Roles', tokens: 'API tokens', audit: 'Audit log', backup: 'Backup', profile: 'My account',
    },
    action: {
      new: 'New', edit: 'Edit', save: 'Save', cancel: 'Cancel', delete: 'Delete', archive: 'Archive', restore: 'Restore', search: 'Search',
      reset: 'Reset', back: 'Back', close: 'Close', confirm: 'OK', refresh: 'Refresh', export: 'Export', exportXlsx: 'Export Excel',
      exportCsv: 'Export CSV', columns: 'Columns', add: 'Add', remove: 'Remove', more: 'More', logout: 'Sign out', print: 'Print',
    },
    shell: {
      searchPlaceholder: 'Search items (code, name, mnemonic, barcode) or partners', searchItems: 'Items', searchPartners: 'Partners', noResults: 'Nothing found',
      alerts: 'Alerts', noAlerts: 'No alerts', language: 'Language', company: 'Company', switchCompany: 'Switch company', menu: 'Menu',
    },
    list: {
      total: '{n} in total', archived: 'Status', active: 'Active', archivedOnly: 'Archived', all: 'All', empty: 'No data',
      confirmArchive: 'Archived records cannot be used on new documents; old documents keep them. Archive “{name}”?', confirmDelete: 'Delete “{name}”? This cannot be undone.',
      inUse: 'In use and cannot be deleted; archive it instead', saved: 'Saved', deleted: 'Deleted', archivedDone: 'Archived', restoredDone: 'Restored',
      exportDone: '{n} rows exported', exportStarted: 'Downloading: the file is written as it downloads', searchHint: 'Search code, name or mnemonic', searchItemsHint: 'Search code, name, mnemonic or barcode',
    },
    auth: {
      login: 'Sign in', username: 'Username', password: 'Password', loginTitle: 'Sign in to jxc', setupTitle: 'Welcome to jxc: create the administrator',
      setupIntro: 'This is the first run. Create the administrator account (there is no default password) and name your company; with demo data loaded, leave it empty to take over the demo company.',
      displayName: 'Display name', companyName: 'Company name', companyCode: 'Company code', passwordHint: 'At least 10 characters, letters and digits',
      create: 'Create and sign in', currentPassword: 'Current password', newPassword: 'New password', confirmPassword: 'New password again',
      passwordMismatch: 'The two passwords differ', changePassword: 'Change password', passwordChanged: 'Password changed; please sign in again',
    },
    common: {
      yes: 'Yes', no: 'No', code: 'Code', name: 'Name', nameEn: 'English name', mnemonic: 'Mnemonic', note: 'Note', createdAt: 'Created',
      updatedAt: 'Updated', status: 'Status', operations: 'Actions', loading: 'Loading…', required: 'Required', optional: 'Optional',
    },
    home: {
      welcome: 'Hello, {name}', intro: 'Start from the menu on the left: master data first, then documents.', quick: 'Shortcuts', stats: 'At a glance',
      items: 'Items', partners: 'Partners', warehouses: 'Warehouses',
      glance: {
        title: 'Business at a glance', today: 'Sales today', month: 'Sales this month', receivables: 'Customers owe', payables: 'Owed to suppliers', money: 'Money in accounts', alerts: 'Stock alerts',
        profit: 'Profit {profit} · {margin}', trend: 'Sales, last 30 days (net of tax)', more: 'Details', partial: 'Some figures could not be read; refresh in a moment.',
      },
    },
    error: { network: 'Cannot reach the server; check the network', unknown: 'Something went wrong' },
  },
}
