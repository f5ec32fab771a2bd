package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// ---------------------------------------------------------------- shapes

// Out wraps a response body.
type Out[T any] struct{ Body T }

// Empty is a body-less response.
type Empty struct{}

type idIn struct {
	ID int64 `path:"id" minimum:"1"`
}

type bodyIn[T any] struct{ Body T }

type idBodyIn[T any] struct {
	ID   int64 `path:"id" minimum:"1"`
	Body T
}

// ListParams is what every list accepts.
type ListParams struct {
	Q        string `query:"q" maxLength:"100" doc:"Search code, name, mnemonic (助记码) and barcode"`
	Archived string `query:"archived" enum:"active,archived,all" default:"active"`
	Sort     string `query:"sort" maxLength:"40" doc:"Field to sort by; prefix - for descending, e.g. -updated_at"`
	Limit    int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset   int    `query:"offset" minimum:"0" default:"0"`
}

func (l ListParams) filter() store.ListFilter {
	return store.ListFilter{Q: l.Q, Archived: l.Archived, Sort: l.Sort, Page: store.Page{Limit: l.Limit, Offset: l.Offset}}
}

// Page is one page of a list.
type Page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total" doc:"Rows matching the filter, across all pages"`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func page[T any](items []T, total int, l ListParams) *Out[Page[T]] {
	if items == nil {
		items = []T{}
	}
	return &Out[Page[T]]{Body: Page[T]{Items: items, Total: total, Limit: l.Limit, Offset: l.Offset}}
}

// crud registers get, create, update, archive, restore and delete of one
// kind of master data under base ("/units"), guarded by perm+".read" and
// perm+".write".
func crud[T any](s *Server, base, name, tag, perm string,
	get func(context.Context, *domain.Principal, int64) (T, error),
	create func(context.Context, *domain.Principal, T) (T, error),
	update func(context.Context, *domain.Principal, int64, T) (T, error),
	archive func(context.Context, *domain.Principal, int64, bool) error,
	del func(context.Context, *domain.Principal, int64) error,
) {
	read, write := perm+".read", perm+".write"
	register(s, http.MethodGet, base+"/{id}", "get"+name, tag, "Get one "+tag, read,
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[T], error) {
			v, err := get(ctx, p, in.ID)
			return &Out[T]{Body: v}, err
		})
	register(s, http.MethodPost, base, "create"+name, tag, "Create "+tag, write,
		func(ctx context.Context, p *domain.Principal, in *bodyIn[T]) (*Out[T], error) {
			v, err := create(ctx, p, in.Body)
			return &Out[T]{Body: v}, err
		})
	register(s, http.MethodPut, base+"/{id}", "update"+name, tag, "Update "+tag+" (send the version you read)", write,
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[T]) (*Out[T], error) {
			v, err := update(ctx, p, in.ID, in.Body)
			return &Out[T]{Body: v}, err
		})
	register(s, http.MethodPost, base+"/{id}/archive", "archive"+name, tag, "Archive "+tag+" (停用): kept on old documents, not offered for new ones", write,
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Empty, error) {
			return nil, archive(ctx, p, in.ID, true)
		})
	register(s, http.MethodPost, base+"/{id}/restore", "restore"+name, tag, "Restore an archived "+tag, write,
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Empty, error) {
			return nil, archive(ctx, p, in.ID, false)
		})
	if del != nil {
		register(s, http.MethodDelete, base+"/{id}", "delete"+name, tag, "Delete "+tag+" that nothing refers to (else 409 in_use: archive it)", write,
			func(ctx context.Context, p *domain.Principal, in *idIn) (*Empty, error) {
				return nil, del(ctx, p, in.ID)
			})
	}
}

// simpleList registers a list with only the common filters.
func simpleList[T any](s *Server, base, name, tag, perm string, fn func(context.Context, *domain.Principal, store.ListFilter) ([]T, int, error)) {
	register(s, http.MethodGet, base, "list"+name, tag, "List "+tag, perm+".read",
		func(ctx context.Context, p *domain.Principal, in *ListParams) (*Out[Page[T]], error) {
			items, n, err := fn(ctx, p, in.filter())
			return page(items, n, *in), err
		})
}

// ---------------------------------------------------------------- routes

func (s *Server) routes() {
	s.authRoutes()
	svc := s.svc

	simpleList(s, "/units", "Units", "units", "data.unit", svc.Units)
	crud(s, "/units", "Unit", "units", "data.unit", svc.Unit, svc.CreateUnit, svc.UpdateUnit, svc.ArchiveUnit, svc.DeleteUnit)
	simpleList(s, "/categories", "Categories", "categories", "data.category", svc.Categories)
	crud(s, "/categories", "Category", "categories", "data.category", svc.Category, svc.CreateCategory, svc.UpdateCategory, svc.ArchiveCategory, svc.DeleteCategory)
	simpleList(s, "/brands", "Brands", "brands", "data.brand", svc.Brands)
	crud(s, "/brands", "Brand", "brands", "data.brand", svc.Brand, svc.CreateBrand, svc.UpdateBrand, svc.ArchiveBrand, svc.DeleteBrand)
	simpleList(s, "/warehouses", "Warehouses", "warehouses", "data.warehouse", svc.Warehouses)
	crud(s, "/warehouses", "Warehouse", "warehouses", "data.warehouse", svc.Warehouse, svc.CreateWarehouse, svc.UpdateWarehouse, svc.ArchiveWarehouse, svc.DeleteWarehouse)
	s.locationRoutes()
	s.accountRoutes()
	s.itemRoutes()
	s.partnerRoutes()
	s.pricingRoutes()
	s.stockRoutes()
	s.purchaseRoutes()
	s.salesRoutes()
	s.posRoutes()
	s.purchasePrintRoutes()
	s.salesPrintRoutes()
	s.scorecardRoutes()
	s.crmRoutes()
	s.reportRoutes()
	s.accessRoutes()
	s.backupRoutes()
}

type accountListIn struct {
	ListParams
	Kind string `query:"kind" enum:",cash,bank,wechat,alipay,card,other"`
}

// accountRoutes: money accounts (资金账户), guarded by finance.account.*
// like the payments and receipts that will use them.
func (s *Server) accountRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/accounts", "listAccounts", "accounts", "List money accounts (资金账户: cash, bank, WeChat, Alipay …)", "finance.account.read",
		func(ctx context.Context, p *domain.Principal, in *accountListIn) (*Out[Page[domain.Account]], error) {
			items, n, err := svc.Accounts(ctx, p, service.AccountFilter{ListFilter: in.filter(), Kind: in.Kind})
			return page(items, n, in.ListParams), err
		})
	crud(s, "/accounts", "Account", "accounts", "finance.account", svc.Account, svc.CreateAccount, svc.UpdateAccount, svc.ArchiveAccount, svc.DeleteAccount)
	// What the accounts hold is a finance report: every role reads the
	// accounts' names, only report.finance.read their money.
	register(s, http.MethodGet, "/accounts/balances", "accountBalances", "accounts",
		"Every money account's balance: the opening balance plus posted receipts and counter sales, less payments and counter refunds", "report.finance.read",
		func(ctx context.Context, p *domain.Principal, in *accountBalancesIn) (*Out[[]store.AccountBalance], error) {
			day, err := optDay("as_of", in.AsOf)
			if err != nil {
				return nil, err
			}
			bs, err := svc.AccountBalances(ctx, p, day)
			if bs == nil {
				bs = []store.AccountBalance{}
			}
			return &Out[[]store.AccountBalance]{Body: bs}, err
		})
	register(s, http.MethodGet, "/accounts/{id}/journal", "accountJournal", "accounts",
		"A money account's movements (资金日记账) from from to to: the balance before, what came in and went out, and the rows with their running balance", "report.finance.read",
		func(ctx context.Context, p *domain.Principal, in *accountJournalIn) (*Out[store.AccountJournal], error) {
			from, err := domain.ParseDate(in.From)
			if err != nil {
				return nil, domain.FieldErr("from", "date_format")
			}
			to, err := domain.ParseDate(in.To)
			if err != nil {
				return nil, domain.FieldErr("to", "date_format")
			}
			j, err := svc.AccountJournal(ctx, p, in.ID, from, to, in.Limit, in.Offset)
			return &Out[store.AccountJournal]{Body: j}, err
		})
}

type accountBalancesIn struct {
	AsOf string `query:"as_of" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Balances at the end of this day; every movement when left out"`
}

type accountJournalIn struct {
	ID     int64  `path:"id" minimum:"1" doc:"The account"`
	From   string `query:"from" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	To     string `query:"to" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	Limit  int    `query:"limit" doc:"Rows per page, 200 when left out, at most 2000"`
	Offset int    `query:"offset"`
}

type itemListIn struct {
	ListParams
	Mnemonic   string  `query:"mnemonic" maxLength:"64" doc:"Prefix of the 助记码 (pinyin initials)"`
	Barcode    string  `query:"barcode" maxLength:"64" doc:"Exact barcode of any of the item's units"`
	CategoryID int64   `query:"category_id" doc:"Category, including its sub-categories"`
	BrandID    int64   `query:"brand_id"`
	Tracking   string  `query:"tracking" enum:",none,batch,serial"`
	ParentID   int64   `query:"parent_id" doc:"Variants of one template"`
	Templates  string  `query:"templates" enum:",only,exclude" doc:"Variant templates: only them, or leave them out"`
	IDs        []int64 `query:"ids" maxItems:"500" doc:"Only these items, e.g. ids=3,8,13 (archived ones too when archived=all)"`
}

type barcodeIn struct {
	Barcode string `path:"barcode" maxLength:"64"`
}

func (s *Server) itemRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/items", "listItems", "items", "List items", "data.item.read",
		func(ctx context.Context, p *domain.Principal, in *itemListIn) (*Out[Page[domain.Item]], error) {
			f := service.ItemFilter{ListFilter: in.filter(), Mnemonic: in.Mnemonic, Barcode: in.Barcode, CategoryID: in.CategoryID,
				BrandID: in.BrandID, Tracking: in.Tracking, ParentID: in.ParentID, Templates: in.Templates, IDs: in.IDs}
			items, n, err := svc.Items(ctx, p, f)
			return page(items, n, in.ListParams), err
		})
	register(s, http.MethodGet, "/items/by-barcode/{barcode}", "scanItem", "items", "Look up a scanned barcode (any unit's barcode)", "data.item.read",
		func(ctx context.Context, p *domain.Principal, in *barcodeIn) (*Out[service.ScanResult], error) {
			r, err := svc.ItemByBarcode(ctx, p, in.Barcode)
			return &Out[service.ScanResult]{Body: r}, err
		})
	crud(s, "/items", "Item", "items", "data.item", svc.Item, svc.CreateItem, svc.UpdateItem, svc.ArchiveItem, svc.DeleteItem)
}

type partnerListIn struct {
	ListParams
	Kind          string `query:"kind" enum:",supplier,customer,both" doc:"supplier and customer include partners that are both"`
	Mnemonic      string `query:"mnemonic" maxLength:"64"`
	Tag           string `query:"tag" maxLength:"32"`
	Tier          string `query:"tier" maxLength:"64"`
	SalespersonID int64  `query:"salesperson_id"`
}

type priceListListIn struct {
	ListParams
	Kind      string `query:"kind" enum:",sale,purchase"`
	PartnerID int64  `query:"partner_id"`
	Tier      string `query:"tier" maxLength:"64"`
	ItemID    int64  `query:"item_id" doc:"Lists that price this item"`
}

func (s *Server) partnerRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/partners", "listPartners", "partners", "List partners (suppliers and customers)", "data.partner.read",
		func(ctx context.Context, p *domain.Principal, in *partnerListIn) (*Out[Page[domain.Partner]], error) {
			f := service.PartnerFilter{ListFilter: in.filter(), Kind: in.Kind, Mnemonic: in.Mnemonic, Tag: in.Tag, Tier: in.Tier, SalespersonID: in.SalespersonID}
			items, n, err := svc.Partners(ctx, p, f)
			return page(items, n, in.ListParams), err
		})
	crud(s, "/partners", "Partner", "partners", "data.partner", svc.Partner, svc.CreatePartner, svc.UpdatePartner, svc.ArchivePartner, svc.DeletePartner)
	register(s, http.MethodGet, "/price-lists", "listPriceLists", "price lists", "List price lists", "data.price_list.read",
		func(ctx context.Context, p *domain.Principal, in *priceListListIn) (*Out[Page[domain.PriceList]], error) {
			f := service.PriceListFilter{ListFilter: in.filter(), Kind: in.Kind, PartnerID: in.PartnerID, Tier: in.Tier, ItemID: in.ItemID}
			items, n, err := svc.PriceLists(ctx, p, f)
			return page(items, n, in.ListParams), err
		})
	crud(s, "/price-lists", "PriceList", "price lists", "data.price_list", svc.PriceList, svc.CreatePriceList, svc.UpdatePriceList, svc.ArchivePriceList, svc.DeletePriceList)
}

type WarehousePath struct {
	WarehouseID int64 `path:"warehouse_id" minimum:"1"`
}

type locationsIn struct {
	WarehousePath
	Archived string `query:"archived" enum:"active,archived,all" default:"active"`
}

type LocationPath struct {
	WarehousePath
	ID int64 `path:"id" minimum:"1"`
}

type locBodyIn struct {
	WarehousePath
	Body domain.Location
}

type locIDBodyIn struct {
	LocationPath
	Body domain.Location
}

func (s *Server) locationRoutes() {
	svc := s.svc
	const base = "/warehouses/{warehouse_id}/locations"
	register(s, http.MethodGet, base, "listLocations", "warehouses", "The warehouse's location (bin) tree, flat; build it by parent_id", "data.warehouse.read",
		func(ctx context.Context, p *domain.Principal, in *locationsIn) (*Out[[]domain.Location], error) {
			ls, err := svc.Locations(ctx, p, in.WarehouseID, in.Archived)
			return &Out[[]domain.Location]{Body: ls}, err
		})
	register(s, http.MethodPost, base, "createLocation", "warehouses", "Add a bin (货位); parent_id defaults to the warehouse", "data.warehouse.write",
		func(ctx context.Context, p *domain.Principal, in *locBodyIn) (*Out[domain.Location], error) {
			l, err := svc.CreateLocation(ctx, p, in.WarehouseID, in.Body)
			return &Out[domain.Location]{Body: l}, err
		})
	register(s, http.MethodPut, base+"/{id}", "updateLocation", "warehouses", "Rename or move a bin", "data.warehouse.write",
		func(ctx context.Context, p *domain.Principal, in *locIDBodyIn) (*Out[domain.Location], error) {
			l, err := svc.UpdateLocation(ctx, p, in.WarehouseID, in.ID, in.Body)
			return &Out[domain.Location]{Body: l}, err
		})
	register(s, http.MethodPost, base+"/{id}/archive", "archiveLocation", "warehouses", "Archive a bin", "data.warehouse.write",
		func(ctx context.Context, p *domain.Principal, in *LocationPath) (*Empty, error) {
			return nil, svc.ArchiveLocation(ctx, p, in.WarehouseID, in.ID, true)
		})
	register(s, http.MethodPost, base+"/{id}/restore", "restoreLocation", "warehouses", "Restore a bin", "data.warehouse.write",
		func(ctx context.Context, p *domain.Principal, in *LocationPath) (*Empty, error) {
			return nil, svc.ArchiveLocation(ctx, p, in.WarehouseID, in.ID, false)
		})
	register(s, http.MethodDelete, base+"/{id}", "deleteLocation", "warehouses", "Delete an unused bin", "data.warehouse.write",
		func(ctx context.Context, p *domain.Principal, in *LocationPath) (*Empty, error) {
			return nil, svc.DeleteLocation(ctx, p, in.WarehouseID, in.ID)
		})
	register(s, http.MethodGet, "/virtual-locations", "listVirtualLocations", "warehouses", "The company's virtual locations (supplier, customer, loss, gain, transit, production, opening)", "data.warehouse.read",
		func(ctx context.Context, p *domain.Principal, in *struct{}) (*Out[[]domain.Location], error) {
			ls, err := svc.VirtualLocations(ctx, p)
			return &Out[[]domain.Location]{Body: ls}, err
		})
}

// ---------------------------------------------------------------- access

type setupStatus struct {
	Needed bool `json:"needed" doc:"True until the first administrator exists"`
}

// sessionState is what the web app asks once when it loads: whether jxc is
// set up and who, if anyone, is signed in (never a 401, so a signed-out
// visitor's browser console stays clean).
type sessionState struct {
	SetupNeeded bool        `json:"setup_needed"`
	Me          *service.Me `json:"me" doc:"null when not signed in"`
	Today       domain.Date `json:"today" doc:"The business date now, in the time zone jxc dates documents in"`
	UTCOffset   int         `json:"utc_offset" doc:"That time zone's offset from UTC now, in minutes east: the web app counts 'today' by it, not by the browser's clock"`
}

type loginBody struct {
	Username string `json:"username" maxLength:"64"`
	Password string `json:"password" maxLength:"256"`
}

type loginOut struct {
	SetCookie string `header:"Set-Cookie"`
	Body      service.Me
}

type logoutOut struct {
	SetCookie string `header:"Set-Cookie"`
}

type SessionCookie struct {
	Session string `cookie:"jxc_session"`
}

type loginIn struct {
	SessionCookie
	Body loginBody
}

type passwordBody struct {
	CurrentPassword string `json:"current_password" maxLength:"256"`
	NewPassword     string `json:"new_password" maxLength:"256"`
}

type switchBody struct {
	CompanyID int64 `json:"company_id" minimum:"1"`
}

type tokenBody struct {
	Name          string `json:"name" maxLength:"200"`
	ExpiresInDays int    `json:"expires_in_days" minimum:"0" maximum:"3650" doc:"0 = never expires"`
}

type tokensIn struct {
	All bool `query:"all" doc:"Every user's tokens (needs settings.user.read)"`
}

type resetBody struct {
	Password string `json:"password" maxLength:"256"`
}

type auditIn struct {
	Entity   string `query:"entity" maxLength:"40"`
	EntityID int64  `query:"entity_id"`
	UserID   int64  `query:"user_id"`
	Action   string `query:"action" maxLength:"40"`
	Limit    int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset   int    `query:"offset" minimum:"0" default:"0"`
}

type companyCreateIn struct {
	Body domain.Company
}

func (s *Server) cookie(token string, maxAge time.Duration) string {
	c := &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.opt.SecureCookies, MaxAge: int(maxAge.Seconds())}
	if token == "" {
		c.MaxAge = -1
	}
	return c.String()
}

func (s *Server) authRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/setup", "getSetup", "auth", "Whether first-run setup is needed", "public",
		func(ctx context.Context, _ *domain.Principal, _ *struct{}) (*Out[setupStatus], error) {
			n, err := svc.SetupNeeded(ctx)
			return &Out[setupStatus]{Body: setupStatus{Needed: n}}, err
		})
	register(s, http.MethodGet, "/auth/session", "getSession", "auth", "Set-up state and the signed-in user (null when signed out)", "public",
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*Out[sessionState], error) {
			n, err := svc.SetupNeeded(ctx)
			if err != nil {
				return nil, err
			}
			st := sessionState{SetupNeeded: n, Today: svc.Today(), UTCOffset: svc.UTCOffset()}
			if p != nil {
				me, err := svc.Me(ctx, p)
				if err != nil {
					return nil, err
				}
				st.Me = &me
			}
			return &Out[sessionState]{Body: st}, nil
		})
	register(s, http.MethodPost, "/setup", "createSetup", "auth", "First run: create the administrator and the first company (once only)", "public",
		func(ctx context.Context, _ *domain.Principal, in *bodyIn[service.SetupInput]) (*Out[domain.User], error) {
			if in.Body.Language == "" {
				in.Body.Language = string(langOf(ctx))
			}
			u, _, err := svc.Setup(ctx, in.Body)
			return &Out[domain.User]{Body: u}, err
		})
	register(s, http.MethodPost, "/auth/login", "login", "auth", "Sign in; sets the session cookie", "public",
		func(ctx context.Context, _ *domain.Principal, in *loginIn) (*loginOut, error) {
			if !s.login.allow(clientIPFrom(ctx)) {
				return nil, domain.ErrorKey(domain.ETooManyRequests, "error.too_many_requests", nil, "too many sign-in attempts")
			}
			token, u, err := svc.Login(ctx, in.Body.Username, in.Body.Password, in.Session)
			if err != nil {
				return nil, err
			}
			p, err := svc.Authenticate(ctx, token, "", 0)
			if err != nil {
				return nil, err
			}
			me, err := svc.Me(ctx, p)
			me.User = u
			return &loginOut{SetCookie: s.cookie(token, service.DefaultConfig().SessionAbsolute), Body: me}, err
		})
	register(s, http.MethodPost, "/auth/logout", "logout", "auth", "Sign out", "auth",
		func(ctx context.Context, _ *domain.Principal, in *SessionCookie) (*logoutOut, error) {
			if in.Session != "" {
				if err := svc.Logout(ctx, in.Session); err != nil {
					return nil, err
				}
			}
			return &logoutOut{SetCookie: s.cookie("", 0)}, nil
		})
	register(s, http.MethodGet, "/auth/me", "me", "auth", "The signed-in user, their companies and permissions", "auth",
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*Out[service.Me], error) {
			me, err := svc.Me(ctx, p)
			return &Out[service.Me]{Body: me}, err
		})
	register(s, http.MethodPost, "/auth/password", "changePassword", "auth", "Change your own password (signs out every session)", "auth",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[passwordBody]) (*logoutOut, error) {
			if err := svc.ChangePassword(ctx, p, in.Body.CurrentPassword, in.Body.NewPassword); err != nil {
				return nil, err
			}
			return &logoutOut{SetCookie: s.cookie("", 0)}, nil
		})
	register(s, http.MethodPost, "/auth/company", "switchCompany", "auth", "Switch the session to another company", "auth",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[switchBody]) (*Empty, error) {
			return nil, svc.SwitchCompany(ctx, p, in.Body.CompanyID)
		})
	register(s, http.MethodGet, "/permissions", "listPermissions", "auth", "The permission catalogue", "auth",
		func(ctx context.Context, _ *domain.Principal, _ *struct{}) (*Out[[]domain.PermDef], error) {
			return &Out[[]domain.PermDef]{Body: domain.PermCatalog()}, nil
		})
	register(s, http.MethodGet, "/languages", "listLanguages", "auth", "Languages the server speaks", "public",
		func(ctx context.Context, _ *domain.Principal, _ *struct{}) (*Out[[]string], error) {
			return &Out[[]string]{Body: []string{string(i18n.ZH), string(i18n.EN)}}, nil
		})

	register(s, http.MethodGet, "/tokens", "listTokens", "tokens", "Your API tokens", "auth",
		func(ctx context.Context, p *domain.Principal, in *tokensIn) (*Out[[]domain.APIToken], error) {
			ts, err := svc.Tokens(ctx, p, in.All)
			return &Out[[]domain.APIToken]{Body: ts}, err
		})
	register(s, http.MethodPost, "/tokens", "createToken", "tokens", "Create an API token (the secret is shown once)", "auth",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[tokenBody]) (*Out[service.NewToken], error) {
			t, err := svc.CreateToken(ctx, p, in.Body.Name, in.Body.ExpiresInDays)
			return &Out[service.NewToken]{Body: t}, err
		})
	register(s, http.MethodDelete, "/tokens/{id}", "revokeToken", "tokens", "Revoke an API token", "auth",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Empty, error) {
			return nil, svc.RevokeToken(ctx, p, in.ID)
		})
}

func (s *Server) accessRoutes() {
	svc := s.svc
	simpleList(s, "/users", "Users", "users", "settings.user", svc.Users)
	register(s, http.MethodGet, "/users/{id}", "getUser", "users", "Get one user", "settings.user.read",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[domain.User], error) {
			u, err := svc.User(ctx, p, in.ID)
			return &Out[domain.User]{Body: u}, err
		})
	register(s, http.MethodPost, "/users", "createUser", "users", "Create a user with an initial password", "settings.user.write",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[service.CreateUserInput]) (*Out[domain.User], error) {
			u, err := svc.CreateUser(ctx, p, in.Body)
			return &Out[domain.User]{Body: u}, err
		})
	register(s, http.MethodPut, "/users/{id}", "updateUser", "users", "Update a user's profile, flags and roles", "settings.user.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[domain.User]) (*Out[domain.User], error) {
			u, err := svc.UpdateUser(ctx, p, in.ID, in.Body)
			return &Out[domain.User]{Body: u}, err
		})
	register(s, http.MethodPost, "/users/{id}/password", "resetPassword", "users", "Set a user's password (ends their sessions)", "settings.user.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[resetBody]) (*Empty, error) {
			return nil, svc.ResetPassword(ctx, p, in.ID, in.Body.Password)
		})

	simpleList(s, "/roles", "Roles", "roles", "settings.role", svc.Roles)
	crud(s, "/roles", "Role", "roles", "settings.role", svc.Role, svc.CreateRole, svc.UpdateRole, svc.ArchiveRole, nil)

	register(s, http.MethodGet, "/companies", "listCompanies", "companies", "Companies you can act in", "auth",
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*Out[[]domain.Company], error) {
			cs, err := svc.Companies(ctx, p)
			return &Out[[]domain.Company]{Body: cs}, err
		})
	register(s, http.MethodGet, "/companies/{id}", "getCompany", "companies", "Get a company with its settings", "settings.company.read",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[domain.Company], error) {
			c, err := svc.Company(ctx, p, in.ID)
			return &Out[domain.Company]{Body: c}, err
		})
	register(s, http.MethodPost, "/companies", "createCompany", "companies", "Create another company (administrators)", "settings.company.write",
		func(ctx context.Context, p *domain.Principal, in *companyCreateIn) (*Out[domain.Company], error) {
			c, err := svc.CreateCompany(ctx, p, in.Body, string(langOf(ctx)))
			return &Out[domain.Company]{Body: c}, err
		})
	register(s, http.MethodPut, "/companies/{id}", "updateCompany", "companies", "Update a company and its settings", "settings.company.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[domain.Company]) (*Out[domain.Company], error) {
			c, err := svc.UpdateCompany(ctx, p, in.ID, in.Body)
			return &Out[domain.Company]{Body: c}, err
		})

	register(s, http.MethodGet, "/audit-log", "listAudit", "audit", "Who changed what, with before and after", "settings.audit.read",
		func(ctx context.Context, p *domain.Principal, in *auditIn) (*Out[Page[domain.AuditEntry]], error) {
			f := service.AuditFilter{Entity: in.Entity, EntityID: in.EntityID, UserID: in.UserID, Action: in.Action, Page: store.Page{Limit: in.Limit, Offset: in.Offset}}
			rows, n, err := svc.Audit(ctx, p, f)
			if rows == nil {
				rows = []domain.AuditEntry{}
			}
			return &Out[Page[domain.AuditEntry]]{Body: Page[domain.AuditEntry]{Items: rows, Total: n, Limit: in.Limit, Offset: in.Offset}}, err
		})
}
