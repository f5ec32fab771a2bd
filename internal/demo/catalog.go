package demo

import "github.com/jxc-erp/jxc/internal/domain"

// The demo catalogue: what a small Shanghai distributor of drinks, snacks,
// daily goods, stationery, clothing and phone accessories keeps. Every brand
// is invented.

type unitDef struct {
	code, zh, en string
	decimals     int
}

var unitDefs = []unitDef{
	{"PCS", "个", "pcs", 0},
	{"BOTTLE", "瓶", "bottle", 0},
	{"CAN", "罐", "can", 0},
	{"BOX", "盒", "box", 0},
	{"CARTON", "箱", "carton", 0},
	{"PACK", "包", "pack", 0},
	{"BAG", "袋", "bag", 0},
	{"PIECE", "件", "piece", 0},
	{"PAIR", "双", "pair", 0},
	{"SET", "套", "set", 0},
	{"UNIT", "台", "unit", 0},
	{"STICK", "支", "stick", 0},
	{"BOOK", "本", "book", 0},
	{"KG", "千克", "kg", 3},
	{"M", "米", "m", 2},
}

type categoryDef struct {
	code, zh, en string
	children     []categoryDef
}

var categoryDefs = []categoryDef{
	{"BEV", "饮料", "Beverages", []categoryDef{
		{"BEV-CSD", "碳酸饮料", "Carbonated Drinks", nil},
		{"BEV-JUI", "果汁", "Juice", nil},
		{"BEV-WAT", "饮用水", "Drinking Water", nil},
		{"BEV-TEA", "茶饮料", "Tea Drinks", nil},
	}},
	{"SNK", "休闲食品", "Snacks", []categoryDef{
		{"SNK-BIS", "饼干", "Biscuits", nil},
		{"SNK-NUT", "坚果", "Nuts", nil},
		{"SNK-CDY", "糖果", "Candy", nil},
	}},
	{"DLY", "日用品", "Daily Necessities", []categoryDef{
		{"DLY-CAR", "洗护", "Personal Care", nil},
		{"DLY-PAP", "纸品", "Paper Products", nil},
		{"DLY-CLN", "清洁", "Cleaning", nil},
	}},
	{"STA", "文具", "Stationery", []categoryDef{
		{"STA-PEN", "笔", "Pens", nil},
		{"STA-NBK", "本册", "Notebooks", nil},
		{"STA-OFF", "办公用品", "Office Supplies", nil},
	}},
	{"APP", "服装", "Apparel", []categoryDef{
		{"APP-TEE", "T恤", "T-shirts", nil},
		{"APP-HOD", "卫衣", "Hoodies", nil},
		{"APP-SOX", "袜子", "Socks", nil},
	}},
	{"DIG", "数码配件", "Digital Accessories", []categoryDef{
		{"DIG-CBL", "数据线", "Cables", nil},
		{"DIG-EAR", "耳机", "Earphones", nil},
		{"DIG-CHG", "充电器", "Chargers", nil},
	}},
}

type brandDef struct {
	code, zh, en string
}

var brandDefs = []brandDef{
	{"QQ", "清泉", "Clear Spring"},
	{"QPGF", "气泡工坊", "Bubble Workshop"},
	{"GYXZ", "果园小镇", "Orchard Town"},
	{"CY", "茶语", "Tea Talk"},
	{"CL", "脆乐", "Crispy Joy"},
	{"GRPZ", "果仁铺子", "Nut Corner"},
	{"TXTF", "甜心糖坊", "Sweetheart Candy"},
	{"RS", "柔丝", "Silky Touch"},
	{"SY", "森语", "Forest Whisper"},
	{"JJJ", "洁净家", "CleanHome"},
	{"SYW", "书友", "Book Pal"},
	{"JY", "简优", "SimplePlus"},
	{"MZY", "棉之语", "Cotton Story"},
	{"YD", "云端数码", "Cloud Digital"},
	{"SD", "声动", "SoundWave"},
}

type binZone struct{ code, zh, en string }

type warehouseDef struct {
	code, zh, en, address, manager, phone string
	zones                                 []binZone
	shelves, levels                       int
}

var warehouseDefs = []warehouseDef{
	{"SH", "上海总仓", "Shanghai Central Warehouse", "上海市嘉定区马陆镇宝安公路2888号3号库", "周建国", "021-59918836",
		[]binZone{{"A", "A区(饮料)", "Zone A (Drinks)"}, {"B", "B区(休闲食品)", "Zone B (Snacks)"}, {"C", "C区(日用品)", "Zone C (Household)"},
			{"D", "D区(文具数码服装)", "Zone D (Stationery, Digital, Clothing)"}}, 4, 3},
	{"BJ", "北京分仓", "Beijing Branch Warehouse", "北京市大兴区黄村镇兴华大街168号物流园B座", "赵立军", "010-69256618",
		[]binZone{{"A", "A区(饮料)", "Zone A (Drinks)"}, {"B", "B区(食品日用)", "Zone B (Food & Household)"}, {"C", "C区(文具数码)", "Zone C (Stationery & Digital)"}}, 4, 3},
	{"GZ", "广州分仓", "Guangzhou Branch Warehouse", "广东省广州市白云区太和镇龙归路88号", "陈志华", "020-87428829",
		[]binZone{{"A", "A区(饮料)", "Zone A (Drinks)"}, {"B", "B区(食品日用)", "Zone B (Food & Household)"}, {"C", "C区(文具数码)", "Zone C (Stationery & Digital)"}}, 4, 3},
	{"SH-STORE", "门店仓-人民广场", "Store Stock - People's Square", "上海市黄浦区西藏中路188号B1层", "林晓燕", "021-63512290",
		[]binZone{{"A", "A区(前场货架)", "Zone A (Shop Floor)"}, {"B", "B区(后仓)", "Zone B (Back Room)"}}, 3, 2},
	{"RET", "退货仓", "Returns Warehouse", "上海市嘉定区马陆镇宝安公路2888号5号库", "何伟", "021-59918837",
		[]binZone{{"Q", "Q区(待检)", "Zone Q (Awaiting Inspection)"}, {"A", "A区(良品)", "Zone A (Good)"}, {"X", "X区(残次)", "Zone X (Defective)"}}, 2, 2},
}

// ---------------------------------------------------------------- products

// flavor is one variation of a product line (taste, colour, model). Price
// is a percentage of the size's retail price (0 = 100), or Retail
// overrides it.
type flavor struct {
	zh, en string
	pct    int64
	retail int64 // cents
	model  string
}

// size is one pack size of a product line: the spec, the base unit, the
// retail price in cents and, for cases sold by the carton, how many base
// units one carton holds.
type size struct {
	spec   string
	unit   string
	retail int64
	carton int64
}

// line is a product line: every flavor in every size becomes one item. In
// the name patterns {b} is the brand and {f} the flavor.
type line struct {
	cat, brand string
	zh, en     string
	flavors    []flavor
	sizes      []size
	tax        int64 // percent; 0 = 13
	track      domain.Tracking
	shelf      int // days
}

func f(zh, en string) flavor             { return flavor{zh: zh, en: en} }
func fp(zh, en string, pct int64) flavor { return flavor{zh: zh, en: en, pct: pct} }
func fm(zh, en string, retail int64, m string) flavor {
	return flavor{zh: zh, en: en, retail: retail, model: m}
}

var (
	colors3 = []flavor{f("黑色", "Black"), f("蓝色", "Blue"), f("红色", "Red")}
	batch   = domain.TrackBatch
	serial  = domain.TrackSerial
	none    = domain.TrackNone
)

var lines = []line{
	// ------------------------------------------------------------ drinks
	{cat: "BEV-CSD", brand: "QPGF", zh: "{b}{f}汽水", en: "{b} {f} Soda", track: batch, shelf: 365,
		flavors: []flavor{f("可乐味", "Cola"), f("柠檬味", "Lemon"), f("橙味", "Orange"), f("青苹果味", "Green Apple"), f("白桃味", "White Peach"), f("荔枝味", "Lychee")},
		sizes:   []size{{"330ml", "CAN", 300, 24}, {"500ml", "BOTTLE", 350, 24}, {"1.25L", "BOTTLE", 650, 12}}},
	{cat: "BEV-CSD", brand: "QPGF", zh: "{b}{f}零糖气泡水", en: "{b} {f} Zero Sugar Sparkling Water", track: batch, shelf: 270,
		flavors: []flavor{f("原味", "Original"), f("白桃味", "White Peach"), f("青柠味", "Lime"), f("西柚味", "Grapefruit"), f("蜜瓜味", "Melon")},
		sizes:   []size{{"330ml", "CAN", 450, 24}, {"480ml", "BOTTLE", 500, 24}}},
	{cat: "BEV-JUI", brand: "GYXZ", zh: "{b}{f}", en: "{b} {f}", track: batch, shelf: 270,
		flavors: []flavor{fp("100%橙汁", "100% Orange Juice", 130), fp("100%苹果汁", "100% Apple Juice", 130), fp("100%葡萄汁", "100% Grape Juice", 140),
			f("芒果汁饮料", "Mango Juice Drink"), f("水蜜桃汁饮料", "Peach Juice Drink"), f("山楂汁饮料", "Hawthorn Juice Drink")},
		sizes: []size{{"250ml", "BOX", 300, 24}, {"300ml", "BOTTLE", 450, 24}, {"1L", "BOTTLE", 1280, 12}}},
	{cat: "BEV-WAT", brand: "QQ", zh: "{b}饮用天然水", en: "{b} Natural Drinking Water", track: batch, shelf: 540,
		sizes: []size{{"380ml", "BOTTLE", 150, 24}, {"550ml", "BOTTLE", 200, 24}, {"1.5L", "BOTTLE", 400, 12}, {"4L", "BOTTLE", 800, 0}}},
	{cat: "BEV-WAT", brand: "QQ", zh: "{b}饮用纯净水", en: "{b} Purified Water", track: batch, shelf: 365,
		sizes: []size{{"350ml", "BOTTLE", 120, 24}, {"555ml", "BOTTLE", 150, 24}, {"1.5L", "BOTTLE", 300, 12}}},
	{cat: "BEV-WAT", brand: "QQ", zh: "{b}天然矿泉水", en: "{b} Natural Mineral Water", track: batch, shelf: 720,
		sizes: []size{{"350ml", "BOTTLE", 250, 24}, {"500ml", "BOTTLE", 300, 24}, {"1L", "BOTTLE", 500, 12}}},
	{cat: "BEV-WAT", brand: "QQ", zh: "{b}{f}无气苏打水", en: "{b} {f} Still Soda Water", track: batch, shelf: 365,
		flavors: []flavor{f("原味", "Original"), f("柠檬味", "Lemon"), f("青柠味", "Lime")},
		sizes:   []size{{"350ml", "BOTTLE", 350, 24}}},
	{cat: "BEV-TEA", brand: "CY", zh: "{b}{f}", en: "{b} {f}", track: batch, shelf: 360,
		flavors: []flavor{f("冰红茶", "Iced Black Tea"), f("绿茶", "Green Tea"), f("茉莉花茶", "Jasmine Tea"), f("乌龙茶", "Oolong Tea"),
			f("柠檬红茶", "Lemon Black Tea"), f("蜜桃乌龙茶", "Peach Oolong Tea"), f("大麦茶", "Roasted Barley Tea")},
		sizes: []size{{"500ml", "BOTTLE", 350, 24}, {"1L", "BOTTLE", 600, 12}}},
	{cat: "BEV-TEA", brand: "CY", zh: "{b}无糖{f}", en: "{b} Unsweetened {f}", track: batch, shelf: 360,
		flavors: []flavor{f("绿茶", "Green Tea"), f("乌龙茶", "Oolong Tea"), f("茉莉花茶", "Jasmine Tea")},
		sizes:   []size{{"500ml", "BOTTLE", 450, 24}}},

	// ------------------------------------------------------------ snacks
	{cat: "SNK-BIS", brand: "CL", zh: "{b}{f}苏打饼干", en: "{b} {f} Soda Crackers", track: batch, shelf: 270,
		flavors: []flavor{f("原味", "Original"), f("葱香", "Scallion"), f("海苔", "Seaweed")},
		sizes:   []size{{"100g", "BAG", 350, 24}, {"400g", "BAG", 990, 12}}},
	{cat: "SNK-BIS", brand: "CL", zh: "{b}{f}夹心饼干", en: "{b} {f} Sandwich Cookies", track: batch, shelf: 360,
		flavors: []flavor{f("巧克力味", "Chocolate"), f("草莓味", "Strawberry"), f("香草味", "Vanilla"), f("柠檬味", "Lemon")},
		sizes:   []size{{"120g", "PACK", 450, 24}, {"388g", "BOX", 1290, 12}}},
	{cat: "SNK-BIS", brand: "CL", zh: "{b}{f}薄脆饼干", en: "{b} {f} Thin Crisps", track: batch, shelf: 270,
		flavors: []flavor{f("芝麻", "Sesame"), f("椰香", "Coconut"), f("番茄", "Tomato")},
		sizes:   []size{{"150g", "BOX", 680, 24}}},
	{cat: "SNK-BIS", brand: "CL", zh: "{b}{f}曲奇", en: "{b} {f} Cookies", track: batch, shelf: 300,
		flavors: []flavor{f("黄油", "Butter"), f("巧克力豆", "Chocolate Chip"), f("抹茶", "Matcha")},
		sizes:   []size{{"200g", "BOX", 1580, 12}, {"400g", "BOX", 2990, 12}}},
	{cat: "SNK-BIS", brand: "CL", zh: "{b}{f}威化饼干", en: "{b} {f} Wafers", track: batch, shelf: 360,
		flavors: []flavor{f("巧克力", "Chocolate"), f("牛奶", "Milk"), f("花生", "Peanut")},
		sizes:   []size{{"160g", "PACK", 650, 24}}},
	{cat: "SNK-NUT", brand: "GRPZ", zh: "{b}每日坚果", en: "{b} Daily Mixed Nuts", track: batch, shelf: 180, tax: 9,
		sizes: []size{{"175g(25g×7袋)", "BOX", 2990, 12}, {"750g(25g×30袋)", "BOX", 9900, 0}}},
	{cat: "SNK-NUT", brand: "GRPZ", zh: "{b}{f}", en: "{b} {f}", track: batch, shelf: 240, tax: 9,
		flavors: []flavor{fp("碧根果", "Pecans", 200), fp("夏威夷果", "Macadamia Nuts", 180), fp("开心果", "Pistachios", 220),
			fp("巴旦木", "Almonds", 160), fp("腰果", "Cashews", 190), f("纸皮核桃", "Thin-shell Walnuts"), fp("山核桃仁", "Hickory Nut Kernels", 350),
			fp("南瓜子", "Pumpkin Seeds", 80), fp("焦糖瓜子", "Caramel Sunflower Seeds", 50), fp("五香花生", "Spiced Peanuts", 45)},
		sizes: []size{{"200g", "BAG", 2000, 24}, {"500g", "BAG", 4500, 12}}},
	{cat: "SNK-NUT", brand: "GRPZ", zh: "{b}散装{f}", en: "{b} Bulk {f}", track: batch, shelf: 180, tax: 9,
		flavors: []flavor{fp("开心果", "Pistachios", 220), fp("巴旦木", "Almonds", 160), fp("焦糖瓜子", "Caramel Sunflower Seeds", 50)},
		sizes:   []size{{"散装称重", "KG", 5000, 0}}},
	{cat: "SNK-CDY", brand: "TXTF", zh: "{b}{f}水果硬糖", en: "{b} {f} Fruit Hard Candy", track: batch, shelf: 540,
		flavors: []flavor{f("混合水果味", "Mixed Fruit"), f("柠檬味", "Lemon"), f("草莓味", "Strawberry")},
		sizes:   []size{{"200g", "BAG", 890, 24}}},
	{cat: "SNK-CDY", brand: "TXTF", zh: "{b}{f}软糖", en: "{b} {f} Gummies", track: batch, shelf: 360,
		flavors: []flavor{f("葡萄味", "Grape"), f("水蜜桃味", "Peach"), f("可乐味", "Cola"), f("酸甜混合味", "Sour Mix")},
		sizes:   []size{{"80g", "BAG", 550, 24}}},
	{cat: "SNK-CDY", brand: "TXTF", zh: "{b}{f}牛奶糖", en: "{b} {f} Milk Candy", track: batch, shelf: 365,
		flavors: []flavor{f("原味", "Original"), f("红豆味", "Red Bean")},
		sizes:   []size{{"200g", "BAG", 1280, 24}}},
	{cat: "SNK-CDY", brand: "TXTF", zh: "{b}水果棒棒糖", en: "{b} Fruit Lollipops", track: batch, shelf: 540,
		sizes: []size{{"单支10g", "STICK", 100, 0}, {"20支装", "BAG", 1500, 24}}},
	{cat: "SNK-CDY", brand: "TXTF", zh: "{b}{f}薄荷糖", en: "{b} {f} Mints", track: batch, shelf: 720,
		flavors: []flavor{f("留兰香", "Spearmint"), f("冰柠", "Icy Lemon"), f("西瓜", "Watermelon")},
		sizes:   []size{{"35g", "BOX", 850, 24}}},
	{cat: "SNK-CDY", brand: "TXTF", zh: "{b}{f}", en: "{b} {f}", track: batch, shelf: 365,
		flavors: []flavor{f("牛奶巧克力", "Milk Chocolate"), fp("70%黑巧克力", "70% Dark Chocolate", 120), fp("榛仁巧克力", "Hazelnut Chocolate", 110)},
		sizes:   []size{{"100g", "BOX", 1290, 12}}},
	{cat: "SNK-CDY", brand: "TXTF", zh: "{b}散装什锦喜糖", en: "{b} Bulk Assorted Candy", track: batch, shelf: 365,
		sizes: []size{{"散装称重", "KG", 3980, 0}}},

	// ------------------------------------------------------------ daily goods
	{cat: "DLY-CAR", brand: "RS", zh: "{b}{f}洗发水", en: "{b} {f} Shampoo",
		flavors: []flavor{f("去屑", "Anti-dandruff"), f("柔顺", "Smoothing"), f("控油", "Oil Control")},
		sizes:   []size{{"400ml", "BOTTLE", 3990, 0}, {"750ml", "BOTTLE", 5990, 0}}},
	{cat: "DLY-CAR", brand: "RS", zh: "{b}{f}护发素", en: "{b} {f} Conditioner",
		flavors: []flavor{f("柔顺", "Smoothing"), f("修护", "Repair")},
		sizes:   []size{{"400ml", "BOTTLE", 3590, 0}}},
	{cat: "DLY-CAR", brand: "RS", zh: "{b}{f}沐浴露", en: "{b} {f} Body Wash",
		flavors: []flavor{f("樱花", "Cherry Blossom"), f("薄荷", "Mint"), f("牛奶", "Milk")},
		sizes:   []size{{"500ml", "BOTTLE", 2990, 0}, {"1L", "BOTTLE", 4990, 0}}},
	{cat: "DLY-CAR", brand: "RS", zh: "{b}{f}牙膏", en: "{b} {f} Toothpaste",
		flavors: []flavor{f("清新薄荷", "Fresh Mint"), f("亮白", "Whitening"), f("抗敏", "Sensitive")},
		sizes:   []size{{"120g", "STICK", 1290, 0}}},
	{cat: "DLY-CAR", brand: "RS", zh: "{b}软毛牙刷", en: "{b} Soft Toothbrush",
		sizes: []size{{"单支装", "STICK", 690, 0}, {"4支装", "PACK", 1990, 0}}},
	{cat: "DLY-CAR", brand: "RS", zh: "{b}抑菌洗手液", en: "{b} Antibacterial Hand Soap",
		sizes: []size{{"300ml", "BOTTLE", 1590, 0}, {"500ml补充装", "BAG", 1490, 0}}},
	{cat: "DLY-CAR", brand: "RS", zh: "{b}{f}香皂", en: "{b} {f} Soap",
		flavors: []flavor{f("檀香", "Sandalwood"), f("柠檬", "Lemon"), f("芦荟", "Aloe")},
		sizes:   []size{{"125g", "PCS", 590, 0}}},
	{cat: "DLY-PAP", brand: "SY", zh: "{b}{f}抽纸", en: "{b} {f} Facial Tissue",
		flavors: []flavor{f("原木", "Virgin Pulp"), fp("竹浆", "Bamboo Pulp", 110)},
		sizes:   []size{{"3层120抽", "PACK", 390, 0}, {"3层120抽×6包", "PACK", 2090, 0}}},
	{cat: "DLY-PAP", brand: "SY", zh: "{b}{f}卷纸", en: "{b} {f} Toilet Rolls",
		flavors: []flavor{f("原木", "Virgin Pulp"), fp("竹浆", "Bamboo Pulp", 120)},
		sizes:   []size{{"4层140g×10卷", "PACK", 2290, 0}}},
	{cat: "DLY-PAP", brand: "SY", zh: "{b}{f}湿巾", en: "{b} {f} Wet Wipes",
		flavors: []flavor{f("无香", "Unscented"), fp("婴儿", "Baby", 130)},
		sizes:   []size{{"80片", "PACK", 990, 0}}},
	{cat: "DLY-PAP", brand: "SY", zh: "{b}厨房用纸", en: "{b} Kitchen Towels",
		sizes: []size{{"2卷装", "PACK", 1290, 0}}},
	{cat: "DLY-PAP", brand: "SY", zh: "{b}{f}手帕纸", en: "{b} {f} Pocket Tissues",
		flavors: []flavor{f("无香", "Unscented"), f("茉莉香", "Jasmine")},
		sizes:   []size{{"4层×10包", "PACK", 590, 0}}},
	{cat: "DLY-PAP", brand: "SY", zh: "{b}单层餐巾纸", en: "{b} Single-ply Napkins",
		sizes: []size{{"400张", "PACK", 690, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}{f}洗洁精", en: "{b} {f} Dish Soap",
		flavors: []flavor{f("柠檬", "Lemon"), f("茶籽", "Tea Seed")},
		sizes:   []size{{"500g", "BOTTLE", 790, 0}, {"1.5kg", "BOTTLE", 1890, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}{f}洗衣液", en: "{b} {f} Laundry Detergent",
		flavors: []flavor{f("薰衣草", "Lavender"), f("阳光清香", "Sunshine Fresh")},
		sizes:   []size{{"2kg", "BOTTLE", 3590, 0}, {"3kg", "BOTTLE", 4990, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}洗衣凝珠", en: "{b} Laundry Pods", sizes: []size{{"30颗", "BOX", 3990, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}84消毒液", en: "{b} 84 Disinfectant", sizes: []size{{"1L", "BOTTLE", 990, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}洁厕灵", en: "{b} Toilet Cleaner", sizes: []size{{"500g", "BOTTLE", 1290, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}玻璃清洁剂", en: "{b} Glass Cleaner", sizes: []size{{"500ml", "BOTTLE", 1490, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}加厚垃圾袋", en: "{b} Heavy-duty Garbage Bags",
		sizes: []size{{"中号45×50cm 50只", "PACK", 990, 0}, {"大号60×80cm 30只", "PACK", 1290, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}百洁布", en: "{b} Scouring Pads", sizes: []size{{"10片", "PACK", 890, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}一次性丁腈手套", en: "{b} Disposable Nitrile Gloves", sizes: []size{{"100只", "BOX", 2990, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}平板拖把", en: "{b} Flat Mop", sizes: []size{{"38cm", "PCS", 5900, 0}}},
	{cat: "DLY-CLN", brand: "JJJ", zh: "{b}家务橡胶手套", en: "{b} Household Rubber Gloves", sizes: []size{{"中号", "PAIR", 790, 0}}},

	// ------------------------------------------------------------ stationery
	{cat: "STA-PEN", brand: "SYW", zh: "{b}中性笔 {f}", en: "{b} Gel Pen {f}", flavors: colors3,
		sizes: []size{{"0.5mm", "STICK", 200, 0}, {"0.5mm 12支装", "BOX", 2000, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}按动中性笔 {f}", en: "{b} Retractable Gel Pen {f}", flavors: colors3,
		sizes: []size{{"0.5mm", "STICK", 250, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}中性笔替芯 {f}", en: "{b} Gel Pen Refills {f}", flavors: colors3,
		sizes: []size{{"0.5mm 20支装", "BOX", 1200, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}圆珠笔 {f}", en: "{b} Ballpoint Pen {f}", flavors: []flavor{f("蓝色", "Blue"), f("黑色", "Black")},
		sizes: []size{{"0.7mm", "STICK", 150, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}油性记号笔 {f}", en: "{b} Permanent Marker {f}", flavors: colors3,
		sizes: []size{{"双头", "STICK", 350, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}荧光笔6色套装", en: "{b} Highlighters, Set of 6", sizes: []size{{"6色", "SET", 1500, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}白板笔 {f}", en: "{b} Whiteboard Marker {f}", flavors: colors3,
		sizes: []size{{"可擦", "STICK", 300, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}自动铅笔", en: "{b} Mechanical Pencil", sizes: []size{{"0.5mm", "STICK", 500, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}自动铅笔芯", en: "{b} Pencil Leads", sizes: []size{{"0.5mm HB", "BOX", 300, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}{f}木杆铅笔", en: "{b} {f} Wooden Pencils", flavors: []flavor{f("HB", "HB"), f("2B", "2B")},
		sizes: []size{{"12支装", "BOX", 990, 0}}},
	{cat: "STA-PEN", brand: "SYW", zh: "{b}学生钢笔", en: "{b} Student Fountain Pen", sizes: []size{{"EF尖", "STICK", 3900, 0}}},
	{cat: "STA-NBK", brand: "SYW", zh: "{b}软抄本", en: "{b} Soft-cover Notebook",
		sizes: []size{{"A5 40页", "BOOK", 500, 0}, {"B5 40页", "BOOK", 600, 0}, {"A4 40页", "BOOK", 800, 0}}},
	{cat: "STA-NBK", brand: "SYW", zh: "{b}线圈本", en: "{b} Spiral Notebook", sizes: []size{{"A5 80页", "BOOK", 800, 0}, {"B5 80页", "BOOK", 1000, 0}}},
	{cat: "STA-NBK", brand: "SYW", zh: "{b}皮面笔记本", en: "{b} Hardcover Notebook", sizes: []size{{"A5 96页", "BOOK", 1500, 0}, {"B5 96页", "BOOK", 1900, 0}}},
	{cat: "STA-NBK", brand: "SYW", zh: "{b}{f}作业本", en: "{b} {f} Exercise Book",
		flavors: []flavor{f("田字格", "Tianzige Grid"), f("拼音", "Pinyin"), f("英语", "English"), f("数学", "Maths")},
		sizes:   []size{{"16K", "BOOK", 150, 0}}},
	{cat: "STA-NBK", brand: "SYW", zh: "{b}便利贴", en: "{b} Sticky Notes", sizes: []size{{"76×76mm 100张", "BOOK", 350, 0}}},
	{cat: "STA-NBK", brand: "SYW", zh: "{b}活页本", en: "{b} Loose-leaf Binder Notebook", sizes: []size{{"A5 60张", "BOOK", 1990, 0}}},
	{cat: "STA-NBK", brand: "SYW", zh: "{b}口袋记事本", en: "{b} Pocket Notebook", sizes: []size{{"A6", "BOOK", 300, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}{f}复印纸", en: "{b} {f} Copy Paper",
		flavors: []flavor{f("A4 70g", "A4 70gsm"), fp("A4 80g", "A4 80gsm", 115), fp("A3 80g", "A3 80gsm", 210)},
		sizes:   []size{{"500张/包", "PACK", 2200, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}订书机", en: "{b} Stapler", sizes: []size{{"12号", "PCS", 1800, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}订书钉", en: "{b} Staples", sizes: []size{{"24/6 1000枚", "BOX", 250, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}回形针", en: "{b} Paper Clips", sizes: []size{{"28mm 100枚", "BOX", 300, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}长尾夹", en: "{b} Binder Clips",
		sizes: []size{{"19mm 12只", "BOX", 600, 0}, {"25mm 12只", "BOX", 800, 0}, {"32mm 12只", "BOX", 1000, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}A4文件夹", en: "{b} A4 Folder", sizes: []size{{"双强力夹", "PCS", 800, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}档案盒", en: "{b} File Box", sizes: []size{{"55mm", "PCS", 600, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}资料册", en: "{b} Display Book", sizes: []size{{"A4 60页", "PCS", 1500, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}桌面计算器", en: "{b} Desktop Calculator", sizes: []size{{"12位", "UNIT", 3500, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}办公剪刀", en: "{b} Office Scissors", sizes: []size{{"21cm", "PCS", 800, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}美工刀", en: "{b} Utility Knife", sizes: []size{{"18mm", "PCS", 500, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}透明胶带", en: "{b} Clear Tape", sizes: []size{{"18mm×30m", "PCS", 200, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}封箱胶带", en: "{b} Packing Tape", sizes: []size{{"48mm×100m", "PCS", 600, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}固体胶", en: "{b} Glue Stick", sizes: []size{{"21g", "STICK", 300, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}修正带", en: "{b} Correction Tape", sizes: []size{{"5mm×6m", "PCS", 500, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}金属网格笔筒", en: "{b} Mesh Pen Holder", sizes: []size{{"圆形", "PCS", 1500, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}绘图橡皮擦", en: "{b} Eraser", sizes: []size{{"4B", "PCS", 150, 0}}},
	{cat: "STA-OFF", brand: "JY", zh: "{b}钢直尺", en: "{b} Steel Ruler", sizes: []size{{"30cm", "PCS", 200, 0}}},

	// ------------------------------------------------------------ digital accessories
	{cat: "DIG-CBL", brand: "YD", zh: "{b}USB-C双头快充数据线 60W", en: "{b} USB-C to USB-C Cable 60W",
		sizes: []size{{"1m", "PCS", 2900, 0}, {"2m", "PCS", 3900, 0}}},
	{cat: "DIG-CBL", brand: "YD", zh: "{b}USB-C双头快充数据线 100W", en: "{b} USB-C to USB-C Cable 100W",
		sizes: []size{{"1m", "PCS", 4900, 0}, {"2m", "PCS", 5900, 0}}},
	{cat: "DIG-CBL", brand: "YD", zh: "{b}USB-A转USB-C数据线 3A", en: "{b} USB-A to USB-C Cable 3A",
		sizes: []size{{"1m", "PCS", 1900, 0}, {"2m", "PCS", 2500, 0}}},
	{cat: "DIG-CBL", brand: "YD", zh: "{b}Micro USB数据线", en: "{b} Micro USB Cable", sizes: []size{{"1m", "PCS", 1500, 0}}},
	{cat: "DIG-CBL", brand: "YD", zh: "{b}三合一充电线", en: "{b} 3-in-1 Charging Cable", sizes: []size{{"1.2m", "PCS", 3500, 0}}},
	{cat: "DIG-CBL", brand: "YD", zh: "{b}超六类网线(散装)", en: "{b} Cat6A Network Cable (bulk)", sizes: []size{{"按米销售", "M", 250, 0}}},
	{cat: "DIG-CBL", brand: "YD", zh: "{b}超六类成品网线", en: "{b} Cat6A Patch Cable", sizes: []size{{"3m", "PCS", 1900, 0}, {"5m", "PCS", 2900, 0}}},
	{cat: "DIG-CBL", brand: "YD", zh: "{b}HDMI 2.0高清线", en: "{b} HDMI 2.0 Cable", sizes: []size{{"1.5m", "PCS", 2900, 0}, {"3m", "PCS", 3900, 0}}},
	{cat: "DIG-EAR", brand: "SD", zh: "{b}真无线蓝牙耳机 {f}", en: "{b} True Wireless Earbuds {f}", track: serial,
		flavors: []flavor{fm("T1 白色", "T1 White", 9900, "SD-T1"), fm("T1 黑色", "T1 Black", 9900, "SD-T1"),
			fm("T3降噪版 白色", "T3 ANC White", 19900, "SD-T3"), fm("T3降噪版 黑色", "T3 ANC Black", 19900, "SD-T3"),
			fm("T5 Pro", "T5 Pro", 34900, "SD-T5P")},
		sizes: []size{{"蓝牙5.3", "PCS", 0, 0}}},
	{cat: "DIG-EAR", brand: "SD", zh: "{b}头戴式降噪耳机 H2", en: "{b} H2 Noise-cancelling Headphones", track: serial,
		flavors: []flavor{fm("", "", 29900, "SD-H2")}, sizes: []size{{"蓝牙5.3", "PCS", 0, 0}}},
	{cat: "DIG-EAR", brand: "SD", zh: "{b}运动挂脖耳机 N1", en: "{b} N1 Sports Neckband Earphones", track: serial,
		flavors: []flavor{fm("", "", 12900, "SD-N1")}, sizes: []size{{"IPX5防水", "PCS", 0, 0}}},
	{cat: "DIG-EAR", brand: "SD", zh: "{b}Type-C有线耳机", en: "{b} USB-C Wired Earphones",
		flavors: []flavor{fm("", "", 3900, "SD-W1")}, sizes: []size{{"1.2m", "PCS", 0, 0}}},
	{cat: "DIG-CHG", brand: "YD", zh: "{b}PD快充充电器 {f}", en: "{b} PD Fast Charger {f}", track: serial,
		flavors: []flavor{fm("20W", "20W", 4900, "YD-PD20"), fm("33W", "33W", 6900, "YD-PD33")},
		sizes:   []size{{"USB-C单口", "PCS", 0, 0}}},
	{cat: "DIG-CHG", brand: "YD", zh: "{b}氮化镓充电器 {f}", en: "{b} GaN Charger {f}", track: serial,
		flavors: []flavor{fm("65W双口", "65W 2-port", 12900, "YD-GaN65"), fm("100W四口", "100W 4-port", 19900, "YD-GaN100")},
		sizes:   []size{{"2C1A", "PCS", 0, 0}}},
	{cat: "DIG-CHG", brand: "YD", zh: "{b}充电宝 {f}", en: "{b} Power Bank {f}", track: serial,
		flavors: []flavor{fm("10000mAh", "10000mAh", 9900, "YD-PB10"), fm("20000mAh", "20000mAh", 15900, "YD-PB20")},
		sizes:   []size{{"22.5W快充", "PCS", 0, 0}}},
	{cat: "DIG-CHG", brand: "YD", zh: "{b}磁吸充电宝 5000mAh", en: "{b} Magnetic Power Bank 5000mAh", track: serial,
		flavors: []flavor{fm("", "", 12900, "YD-MPB5")}, sizes: []size{{"15W无线", "PCS", 0, 0}}},
	{cat: "DIG-CHG", brand: "YD", zh: "{b}无线充电板 15W", en: "{b} 15W Wireless Charging Pad", track: serial,
		flavors: []flavor{fm("", "", 7900, "YD-WC15")}, sizes: []size{{"Qi协议", "PCS", 0, 0}}},
	{cat: "DIG-CHG", brand: "YD", zh: "{b}车载充电器 双口", en: "{b} Dual-port Car Charger", track: serial,
		flavors: []flavor{fm("", "", 5900, "YD-CC2")}, sizes: []size{{"36W", "PCS", 0, 0}}},
}

// ---------------------------------------------------------------- variant templates

type template struct {
	code, cat, brand, zh, en, spec, unit string
	retail                               int64
	attrs                                []domain.VariantAttr
}

func vals(pairs ...string) []domain.VariantValue {
	out := make([]domain.VariantValue, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, domain.VariantValue{Value: pairs[i], Code: pairs[i+1]})
	}
	return out
}

var templates = []template{
	{"TEE-001", "APP-TEE", "MZY", "{b}纯棉圆领T恤", "{b} Cotton Crew-neck T-shirt", "180g精梳棉", "PIECE", 5900, []domain.VariantAttr{
		{Name: "颜色", Values: vals("白", "WHT", "黑", "BLK", "藏青", "NVY")},
		{Name: "尺码", Values: vals("S", "S", "M", "M", "L", "L", "XL", "XL", "XXL", "XXL")},
	}},
	{"TEE-002", "APP-TEE", "MZY", "{b}速干运动T恤", "{b} Quick-dry Sports T-shirt", "聚酯纤维", "PIECE", 7900, []domain.VariantAttr{
		{Name: "颜色", Values: vals("白", "WHT", "黑", "BLK", "宝蓝", "BLU")},
		{Name: "尺码", Values: vals("M", "M", "L", "L", "XL", "XL", "XXL", "XXL")},
	}},
	{"HOD-001", "APP-HOD", "MZY", "{b}加绒连帽卫衣", "{b} Fleece Hooded Sweatshirt", "320g加绒", "PIECE", 15900, []domain.VariantAttr{
		{Name: "颜色", Values: vals("灰", "GRY", "黑", "BLK", "酒红", "WIN")},
		{Name: "尺码", Values: vals("M", "M", "L", "L", "XL", "XL", "XXL", "XXL")},
	}},
	{"SOX-001", "APP-SOX", "MZY", "{b}精梳棉中筒袜", "{b} Combed Cotton Crew Socks", "精梳棉", "PAIR", 1290, []domain.VariantAttr{
		{Name: "颜色", Values: vals("白", "WHT", "黑", "BLK", "灰", "GRY", "藏青", "NVY")},
		{Name: "尺码", Values: vals("M(35-39)", "M", "L(40-44)", "L")},
	}},
}
