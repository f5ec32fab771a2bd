package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
)

// district is a place partners are at: its region text, English name,
// administrative code (which goes into tax numbers), telephone area code and
// a few streets.
type district struct {
	region, en, code, area string
	roads                  []string
}

var districts = map[string]district{
	// Shanghai
	"黄浦": {"上海市 黄浦区", "Huangpu", "310101", "021", []string{"西藏中路", "淮海中路", "复兴中路", "河南南路"}},
	"徐汇": {"上海市 徐汇区", "Xuhui", "310104", "021", []string{"漕溪北路", "肇嘉浜路", "虹桥路", "田林路"}},
	"长宁": {"上海市 长宁区", "Changning", "310105", "021", []string{"延安西路", "天山路", "仙霞路", "长宁路"}},
	"静安": {"上海市 静安区", "Jing'an", "310106", "021", []string{"南京西路", "北京西路", "共和新路", "万航渡路"}},
	"普陀": {"上海市 普陀区", "Putuo", "310107", "021", []string{"曹杨路", "真北路", "武宁路", "中山北路"}},
	"虹口": {"上海市 虹口区", "Hongkou", "310109", "021", []string{"四川北路", "曲阳路", "大连路", "临平路"}},
	"杨浦": {"上海市 杨浦区", "Yangpu", "310110", "021", []string{"国定路", "控江路", "黄兴路", "淞沪路"}},
	"闵行": {"上海市 闵行区", "Minhang", "310112", "021", []string{"七莘路", "吴中路", "沪闵路", "莘松路"}},
	"宝山": {"上海市 宝山区", "Baoshan", "310113", "021", []string{"牡丹江路", "友谊路", "泰和路", "共和新路"}},
	"嘉定": {"上海市 嘉定区", "Jiading", "310114", "021", []string{"城中路", "博乐路", "曹安公路", "宝安公路"}},
	"浦东": {"上海市 浦东新区", "Pudong", "310115", "021", []string{"张杨路", "世纪大道", "东方路", "川沙路"}},
	"松江": {"上海市 松江区", "Songjiang", "310117", "021", []string{"人民北路", "中山中路", "文诚路", "九亭大街"}},
	"青浦": {"上海市 青浦区", "Qingpu", "310118", "021", []string{"公园路", "城中东路", "华新路", "外青松公路"}},
	// Beijing
	"东城": {"北京市 东城区", "Dongcheng", "110101", "010", []string{"东直门内大街", "和平里东街", "东四北大街"}},
	"西城": {"北京市 西城区", "Xicheng", "110102", "010", []string{"西直门内大街", "德胜门外大街", "西单北大街"}},
	"朝阳": {"北京市 朝阳区", "Chaoyang", "110105", "010", []string{"朝阳路", "建国路", "望京街", "酒仙桥路"}},
	"丰台": {"北京市 丰台区", "Fengtai", "110106", "010", []string{"丰台路", "南三环西路", "科学城路"}},
	"海淀": {"北京市 海淀区", "Haidian", "110108", "010", []string{"中关村大街", "学院路", "北四环西路", "知春路"}},
	// Guangdong
	"越秀": {"广东省 广州市 越秀区", "Yuexiu, Guangzhou", "440104", "020", []string{"中山五路", "北京路", "东风中路"}},
	"海珠": {"广东省 广州市 海珠区", "Haizhu, Guangzhou", "440105", "020", []string{"江南大道", "新港中路", "工业大道"}},
	"天河": {"广东省 广州市 天河区", "Tianhe, Guangzhou", "440106", "020", []string{"天河路", "体育西路", "中山大道", "黄埔大道"}},
	"白云": {"广东省 广州市 白云区", "Baiyun, Guangzhou", "440111", "020", []string{"白云大道", "机场路", "广园中路"}},
	"番禺": {"广东省 广州市 番禺区", "Panyu, Guangzhou", "440113", "020", []string{"迎宾路", "德兴路", "市广路"}},
	"南山": {"广东省 深圳市 南山区", "Nanshan, Shenzhen", "440305", "0755", []string{"科技南路", "南海大道", "深南大道"}},
	"宝安": {"广东省 深圳市 宝安区", "Bao'an, Shenzhen", "440306", "0755", []string{"宝安大道", "创业一路", "福永大道"}},
	"龙岗": {"广东省 深圳市 龙岗区", "Longgang, Shenzhen", "440307", "0755", []string{"龙岗大道", "布吉路", "坂田大道"}},
	"东莞": {"广东省 东莞市", "Dongguan", "441900", "0769", []string{"东城大道", "莞太路", "松山湖大道"}},
	"澄海": {"广东省 汕头市 澄海区", "Chenghai, Shantou", "440515", "0754", []string{"澄华路", "文冠路"}},
	"南海": {"广东省 佛山市 南海区", "Nanhai, Foshan", "440605", "0757", []string{"桂澜路", "南海大道", "狮山大道"}},
	// Jiangsu, Zhejiang, elsewhere
	"姑苏": {"江苏省 苏州市 姑苏区", "Gusu, Suzhou", "320508", "0512", []string{"人民路", "干将路", "三香路"}},
	"吴中": {"江苏省 苏州市 吴中区", "Wuzhong, Suzhou", "320506", "0512", []string{"东吴北路", "宝带西路"}},
	"昆山": {"江苏省 苏州市 昆山市", "Kunshan", "320583", "0512", []string{"前进西路", "黄河路"}},
	"鼓楼": {"江苏省 南京市 鼓楼区", "Gulou, Nanjing", "320106", "025", []string{"中山北路", "湖南路", "北京西路"}},
	"梁溪": {"江苏省 无锡市 梁溪区", "Liangxi, Wuxi", "320213", "0510", []string{"中山路", "人民中路"}},
	"西湖": {"浙江省 杭州市 西湖区", "Xihu, Hangzhou", "330106", "0571", []string{"文三路", "天目山路", "古墩路"}},
	"余杭": {"浙江省 杭州市 余杭区", "Yuhang, Hangzhou", "330110", "0571", []string{"文一西路", "临平大道"}},
	"临安": {"浙江省 杭州市 临安区", "Lin'an, Hangzhou", "330112", "0571", []string{"钱王大街", "锦城街"}},
	"鄞州": {"浙江省 宁波市 鄞州区", "Yinzhou, Ningbo", "330212", "0574", []string{"四明中路", "天童南路", "鄞州大道"}},
	"鹿城": {"浙江省 温州市 鹿城区", "Lucheng, Wenzhou", "330302", "0577", []string{"人民中路", "车站大道"}},
	"义乌": {"浙江省 金华市 义乌市", "Yiwu", "330782", "0579", []string{"稠州北路", "福田路", "城中中路"}},
	"福山": {"山东省 烟台市 福山区", "Fushan, Yantai", "370611", "0535", []string{"福海路", "河滨路"}},
	"黄岛": {"山东省 青岛市 黄岛区", "Huangdao, Qingdao", "370211", "0532", []string{"长江中路", "江山南路"}},
	"闽侯": {"福建省 福州市 闽侯县", "Minhou, Fuzhou", "350121", "0591", []string{"上街大学城", "甘蔗街道"}},
}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "许", "邓", "曹"}

var givenNames = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚",
	"秀英", "建华", "海燕", "晓东", "志强", "丽娟", "国庆", "春梅", "文斌", "雪梅", "建国", "俊杰", "思远", "佳怡", "子涵", "浩然"}

var banks = []string{"中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行", "招商银行", "上海浦东发展银行", "中信银行", "兴业银行"}

func personName(rng *rand.Rand) string {
	return surnames[rng.IntN(len(surnames))] + givenNames[rng.IntN(len(givenNames))]
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// street returns an address line in d.
func street(rng *rand.Rand, d district) string {
	switch rng.IntN(3) {
	case 0:
		return fmt.Sprintf("%s%d号", pick(rng, d.roads), 1+rng.IntN(1800))
	case 1:
		return fmt.Sprintf("%s%d弄%d号", pick(rng, d.roads), 1+rng.IntN(900), 1+rng.IntN(60))
	}
	return fmt.Sprintf("%s%d号%d室", pick(rng, d.roads), 1+rng.IntN(1200), 100*(1+rng.IntN(20))+1+rng.IntN(12))
}

func landline(rng *rand.Rand, d district) string {
	n := 8
	if len(d.area) == 4 && d.area != "0755" {
		n = 7 // smaller cities have 7-digit numbers
	}
	return d.area + "-" + fmt.Sprint(2+rng.IntN(7)) + digits(rng, n-1)
}

func bank(rng *rand.Rand, d district) (name, account string) {
	return pick(rng, banks) + regionBranch(d.region) + "支行", digits(rng, 19)
}

// regionBranch names a bank branch after the region: "上海市 徐汇区" →
// "上海徐汇", "广东省 广州市 天河区" → "广州天河".
func regionBranch(region string) string {
	out := ""
	for _, p := range strings.Fields(region) {
		p = strings.TrimSuffix(p, "新区")
		r := []rune(p)
		switch r[len(r)-1] {
		case '省':
			continue
		case '市', '区', '县':
			if len(r) > 2 {
				r = r[:len(r)-1]
			}
		}
		out += string(r)
	}
	return out
}

// ---------------------------------------------------------------- suppliers

type supplierDef struct {
	zh, en, at string
	kind       domain.PartnerKind
	entity     byte // '1' company, '2' individual business
	terms      int
	tags       []string
	note       string
}

var supplierDefs = []supplierDef{
	{"上海清泉饮品有限公司", "Shanghai Clear Spring Beverage Co., Ltd.", "松江", domain.PartnerSupplier, '1', 30, []string{"厂家直供", "饮料"}, "清泉品牌厂家，每周一、四送货到总仓"},
	{"广州气泡工坊饮料有限公司", "Guangzhou Bubble Workshop Beverage Co., Ltd.", "白云", domain.PartnerSupplier, '1', 30, []string{"厂家直供", "饮料"}, ""},
	{"烟台果园小镇食品有限公司", "Yantai Orchard Town Foods Co., Ltd.", "福山", domain.PartnerSupplier, '1', 60, []string{"厂家直供", "饮料"}, ""},
	{"杭州茶语饮品有限公司", "Hangzhou Tea Talk Beverage Co., Ltd.", "西湖", domain.PartnerSupplier, '1', 30, []string{"厂家直供", "饮料"}, ""},
	{"东莞脆乐食品有限公司", "Dongguan Crispy Joy Foods Co., Ltd.", "东莞", domain.PartnerSupplier, '1', 60, []string{"厂家直供", "食品"}, ""},
	{"临安果仁铺子食品有限公司", "Lin'an Nut Corner Foods Co., Ltd.", "临安", domain.PartnerSupplier, '1', 30, []string{"厂家直供", "食品"}, "坚果类按批次验收，索取检验报告"},
	{"汕头甜心糖坊食品有限公司", "Shantou Sweetheart Candy Foods Co., Ltd.", "澄海", domain.PartnerSupplier, '1', 60, []string{"厂家直供", "食品"}, ""},
	{"广州柔丝日化有限公司", "Guangzhou Silky Touch Daily Chemicals Co., Ltd.", "番禺", domain.PartnerSupplier, '1', 60, []string{"厂家直供", "日化"}, ""},
	{"福建森语纸业有限公司", "Fujian Forest Whisper Paper Co., Ltd.", "闽侯", domain.PartnerSupplier, '1', 60, []string{"厂家直供", "纸品"}, ""},
	{"上海洁净家日用品有限公司", "Shanghai CleanHome Household Products Co., Ltd.", "嘉定", domain.PartnerSupplier, '1', 30, []string{"厂家直供", "日化", "本地供应商"}, ""},
	{"宁波书友文具有限公司", "Ningbo Book Pal Stationery Co., Ltd.", "鄞州", domain.PartnerSupplier, '1', 60, []string{"厂家直供", "文具"}, ""},
	{"温州简优办公用品有限公司", "Wenzhou SimplePlus Office Supplies Co., Ltd.", "鹿城", domain.PartnerSupplier, '1', 30, []string{"厂家直供", "文具"}, ""},
	{"佛山棉之语服饰有限公司", "Foshan Cotton Story Apparel Co., Ltd.", "南海", domain.PartnerSupplier, '1', 60, []string{"厂家直供", "服装"}, "按季订货，尺码配比 S:M:L:XL:XXL = 1:3:3:2:1"},
	{"深圳云端数码科技有限公司", "Shenzhen Cloud Digital Technology Co., Ltd.", "南山", domain.PartnerSupplier, '1', 30, []string{"厂家直供", "数码"}, "整机一年质保，入库扫序列号"},
	{"深圳声动电子有限公司", "Shenzhen SoundWave Electronics Co., Ltd.", "宝安", domain.PartnerSupplier, '1', 30, []string{"厂家直供", "数码"}, "入库扫序列号"},
	{"上海恒丰食品贸易有限公司", "Shanghai Hengfeng Food Trading Co., Ltd.", "普陀", domain.PartnerSupplier, '1', 30, []string{"经销商", "食品", "本地供应商"}, ""},
	{"上海鼎盛饮料经销有限公司", "Shanghai Dingsheng Beverage Distribution Co., Ltd.", "闵行", domain.PartnerSupplier, '1', 30, []string{"经销商", "饮料", "本地供应商"}, ""},
	{"义乌市百汇日用品商行", "Yiwu Baihui Household Goods Store", "义乌", domain.PartnerSupplier, '2', 0, []string{"批发市场", "日化"}, "现款现货"},
	{"义乌市启航文具批发部", "Yiwu Qihang Stationery Wholesale", "义乌", domain.PartnerSupplier, '2', 0, []string{"批发市场", "文具"}, "现款现货"},
	{"苏州嘉禾纸业有限公司", "Suzhou Jiahe Paper Co., Ltd.", "吴中", domain.PartnerSupplier, '1', 30, []string{"经销商", "纸品"}, ""},
	{"昆山瑞丰包装材料有限公司", "Kunshan Ruifeng Packaging Materials Co., Ltd.", "昆山", domain.PartnerSupplier, '1', 30, []string{"包材"}, "纸箱、胶带、缠绕膜"},
	{"广州华南坚果贸易有限公司", "Guangzhou Huanan Nut Trading Co., Ltd.", "天河", domain.PartnerSupplier, '1', 30, []string{"经销商", "食品"}, ""},
	{"北京京北食品批发有限公司", "Beijing Jingbei Food Wholesale Co., Ltd.", "丰台", domain.PartnerSupplier, '1', 30, []string{"经销商", "食品", "北京"}, "供北京分仓"},
	{"广州粤通饮品配送有限公司", "Guangzhou Yuetong Beverage Delivery Co., Ltd.", "白云", domain.PartnerSupplier, '1', 30, []string{"经销商", "饮料", "广州"}, "供广州分仓"},
	{"深圳鑫源电子配件厂", "Shenzhen Xinyuan Electronic Accessories Factory", "龙岗", domain.PartnerSupplier, '1', 30, []string{"数码", "代工"}, ""},
	{"青岛海润日化有限公司", "Qingdao Hairun Daily Chemicals Co., Ltd.", "黄岛", domain.PartnerSupplier, '1', 60, []string{"日化"}, ""},
	{"上海德润办公设备有限公司", "Shanghai Derun Office Equipment Co., Ltd.", "静安", domain.PartnerSupplier, '1', 30, []string{"文具", "本地供应商"}, ""},
	{"苏州万家商贸有限公司", "Suzhou Wanjia Trading Co., Ltd.", "姑苏", domain.PartnerBoth, '1', 30, []string{"经销商", "互供"}, "既供货也向我司采购饮料"},
	{"杭州汇通供应链管理有限公司", "Hangzhou Huitong Supply Chain Management Co., Ltd.", "余杭", domain.PartnerBoth, '1', 30, []string{"经销商", "互供"}, ""},
	{"南京博远商贸有限公司", "Nanjing Boyuan Trading Co., Ltd.", "鼓楼", domain.PartnerBoth, '1', 60, []string{"经销商", "互供"}, ""},
}

var supplierTitles = []string{"销售经理", "业务员", "区域经理", "客服专员"}

func buildSuppliers(rng *rand.Rand) []domain.Partner {
	out := make([]domain.Partner, 0, len(supplierDefs))
	for i, s := range supplierDefs {
		d := districts[s.at]
		bn, ba := bank(rng, d)
		p := domain.Partner{
			Code:             fmt.Sprintf("S%03d", i+1),
			Name:             s.zh,
			NameEn:           s.en,
			Kind:             s.kind,
			TaxNo:            uscc(rng, s.entity, d.code),
			BankName:         bn,
			BankAccount:      ba,
			PaymentTermsDays: s.terms,
			Tags:             s.tags,
			Note:             s.note,
		}
		sales := personName(rng)
		p.Contacts = []domain.Contact{{Name: sales, Title: pick(rng, supplierTitles), Mobile: mobile(rng), Phone: landline(rng, d), Primary: true}}
		if rng.IntN(2) == 0 {
			p.Contacts = append(p.Contacts, domain.Contact{Name: personName(rng), Title: "财务", Phone: landline(rng, d)})
		}
		p.Addresses = []domain.Address{{Label: "发货地址", Region: d.region, Line: street(rng, d), Receiver: sales, Phone: p.Contacts[0].Mobile, Primary: true}}
		if s.kind == domain.PartnerBoth {
			p.Tier, p.CreditLimit = "A", domain.MoneyOf(100000)
			p.Addresses = append(p.Addresses, domain.Address{Label: "收货地址", Region: d.region, Line: street(rng, d), Receiver: personName(rng), Phone: mobile(rng)})
		}
		out = append(out, p)
	}
	return out
}

// ---------------------------------------------------------------- customers

// customerDef is one customer before the random details.
type customerDef struct {
	zh, en, at string
	tier       string
	entity     byte
	terms      int
	credit     int64 // yuan
	tags       []string
	titles     []string
}

type chain struct {
	zh, en     string
	tier       string
	terms      int
	credit     int64
	tags       []string
	suffix     string // 店 for stores
	at         []string
	vipAt      map[string]bool
	contactFor []string
}

var chains = []chain{
	{zh: "邻家便利店", en: "Linjia Convenience Store", tier: "A", terms: 30, credit: 80000, tags: []string{"连锁", "便利店"}, suffix: "店",
		at: []string{"徐汇", "静安", "黄浦", "长宁", "浦东", "闵行", "杨浦", "普陀"}, contactFor: []string{"店长", "采购"}},
	{zh: "惠邻便利店", en: "Huilin Mart", tier: "A", terms: 30, credit: 60000, tags: []string{"连锁", "便利店"}, suffix: "店",
		at: []string{"虹口", "宝山", "嘉定", "松江", "青浦", "浦东"}, contactFor: []string{"店长", "采购"}},
	{zh: "京邻便利店", en: "Jinglin Mart", tier: "A", terms: 30, credit: 60000, tags: []string{"连锁", "便利店", "北京"}, suffix: "店",
		at: []string{"朝阳", "海淀", "东城", "西城", "丰台"}, contactFor: []string{"店长", "采购"}},
	{zh: "粤家便利店", en: "Yuejia Mart", tier: "B", terms: 30, credit: 50000, tags: []string{"连锁", "便利店", "广州"}, suffix: "店",
		at: []string{"天河", "越秀", "海珠", "番禺", "白云"}, contactFor: []string{"店长", "采购"}},
	{zh: "家和超市", en: "Jiahe Supermarket", tier: "VIP", terms: 60, credit: 300000, tags: []string{"连锁", "商超", "重点客户"}, suffix: "店",
		at: []string{"浦东", "闵行", "宝山"}, contactFor: []string{"采购经理", "收货主管"}},
	{zh: "佳佳乐超市", en: "Jiajiale Supermarket", tier: "A", terms: 60, credit: 200000, tags: []string{"连锁", "商超"}, suffix: "店",
		at: []string{"嘉定", "松江"}, contactFor: []string{"采购经理", "收货主管"}},
	{zh: "惠民生活超市", en: "Huimin Life Supermarket", tier: "A", terms: 60, credit: 150000, tags: []string{"连锁", "商超"}, suffix: "店",
		at: []string{"杨浦", "虹口"}, contactFor: []string{"采购经理", "收货主管"}},
	{zh: "京华超市", en: "Jinghua Supermarket", tier: "VIP", terms: 60, credit: 300000, tags: []string{"连锁", "商超", "重点客户", "北京"}, suffix: "店",
		at: []string{"朝阳", "海淀"}, contactFor: []string{"采购经理", "收货主管"}},
	{zh: "百信超市", en: "Baixin Supermarket", tier: "A", terms: 60, credit: 150000, tags: []string{"连锁", "商超", "广州"}, suffix: "店",
		at: []string{"天河", "白云"}, contactFor: []string{"采购经理", "收货主管"}},
}

var singleCustomers = []customerDef{
	// wholesalers
	{"上海鑫源食品批发部", "Shanghai Xinyuan Food Wholesale", "普陀", "VIP", '2', 30, 200000, []string{"批发", "重点客户"}, []string{"老板", "财务"}},
	{"上海金盛副食品商行", "Shanghai Jinsheng Grocery Trading", "闵行", "A", '2', 30, 100000, []string{"批发"}, []string{"老板", "财务"}},
	{"上海永丰百货批发部", "Shanghai Yongfeng General Merchandise Wholesale", "宝山", "A", '2', 0, 80000, []string{"批发"}, []string{"老板"}},
	{"北京顺达食品批发部", "Beijing Shunda Food Wholesale", "丰台", "VIP", '2', 30, 200000, []string{"批发", "重点客户", "北京"}, []string{"老板", "财务"}},
	{"北京东升日杂批发部", "Beijing Dongsheng Sundries Wholesale", "朝阳", "A", '2', 0, 60000, []string{"批发", "北京"}, []string{"老板"}},
	{"广州鸿达食品批发行", "Guangzhou Hongda Food Wholesale", "白云", "A", '2', 30, 100000, []string{"批发", "广州"}, []string{"老板", "财务"}},
	{"广州万隆副食品商行", "Guangzhou Wanlong Grocery Trading", "海珠", "B", '2', 0, 50000, []string{"批发", "广州"}, []string{"老板"}},
	{"苏州庆丰食品批发部", "Suzhou Qingfeng Food Wholesale", "姑苏", "A", '2', 30, 80000, []string{"批发"}, []string{"老板"}},
	{"杭州茂源副食品商行", "Hangzhou Maoyuan Grocery Trading", "西湖", "A", '2', 30, 80000, []string{"批发"}, []string{"老板"}},
	{"南京永昌食品批发部", "Nanjing Yongchang Food Wholesale", "鼓楼", "B", '2', 0, 50000, []string{"批发"}, []string{"老板"}},
	{"无锡盛达商贸批发部", "Wuxi Shengda Trading Wholesale", "梁溪", "B", '2', 0, 50000, []string{"批发"}, []string{"老板"}},
	{"宁波福源日用品批发部", "Ningbo Fuyuan Household Goods Wholesale", "鄞州", "B", '2', 0, 50000, []string{"批发"}, []string{"老板"}},
	// online shops
	{"小橙优选网店", "Little Orange Picks Online Store", "徐汇", "B", '2', 0, 30000, []string{"线上"}, []string{"店主", "运营"}},
	{"好物星球旗舰店", "Good Stuff Planet Flagship Store", "杨浦", "A", '1', 0, 80000, []string{"线上", "重点客户"}, []string{"采购", "运营"}},
	{"云仓好物网店", "Cloud Warehouse Goods Online Store", "嘉定", "B", '2', 0, 30000, []string{"线上"}, []string{"店主"}},
	{"悠然生活馆", "Youran Life Store", "长宁", "B", '2', 0, 20000, []string{"线上"}, []string{"店主"}},
	{"简单生活家居网店", "Simple Living Home Online Store", "松江", "B", '2', 0, 20000, []string{"线上"}, []string{"店主"}},
	{"数码小栈(线上店)", "Digital Nook (Online)", "南山", "B", '2', 0, 30000, []string{"线上", "数码"}, []string{"店主"}},
	{"文具控网店", "Stationery Lover Online Store", "余杭", "B", '2', 0, 20000, []string{"线上", "文具"}, []string{"店主"}},
	{"棉麻衣橱网店", "Cotton & Linen Wardrobe Online Store", "西湖", "B", '2', 0, 20000, []string{"线上", "服装"}, []string{"店主"}},
	// hotels, cafés, catering
	{"悦居酒店(静安店)", "Yueju Hotel (Jing'an)", "静安", "A", '1', 30, 50000, []string{"酒店餐饮"}, []string{"采购", "前厅经理"}},
	{"悦居酒店(长宁店)", "Yueju Hotel (Changning)", "长宁", "A", '1', 30, 50000, []string{"酒店餐饮"}, []string{"采购", "前厅经理"}},
	{"栖心精品酒店", "Qixin Boutique Hotel", "黄浦", "B", '1', 30, 30000, []string{"酒店餐饮"}, []string{"采购"}},
	{"慢时光咖啡馆", "Slow Time Café", "徐汇", "B", '2', 0, 10000, []string{"酒店餐饮"}, []string{"店长"}},
	{"拾光咖啡(南京西路店)", "Shiguang Coffee (West Nanjing Rd)", "静安", "B", '2', 0, 10000, []string{"酒店餐饮"}, []string{"店长"}},
	{"上海味佳餐饮管理有限公司", "Shanghai Weijia Catering Management Co., Ltd.", "浦东", "A", '1', 30, 100000, []string{"酒店餐饮", "企业客户"}, []string{"采购经理", "财务"}},
	{"北京悦食团餐服务有限公司", "Beijing Yueshi Group Catering Services Co., Ltd.", "海淀", "A", '1', 30, 100000, []string{"酒店餐饮", "企业客户", "北京"}, []string{"采购经理", "财务"}},
	// specialty shops
	{"云联手机配件店(徐家汇店)", "Yunlian Phone Accessories (Xujiahui)", "徐汇", "B", '2', 0, 20000, []string{"数码"}, []string{"店主"}},
	{"极客数码配件店(中关村店)", "Geek Digital Accessories (Zhongguancun)", "海淀", "B", '2', 0, 20000, []string{"数码", "北京"}, []string{"店主"}},
	{"极速网咖(五角场店)", "Speed Internet Café (Wujiaochang)", "杨浦", "B", '2', 0, 10000, []string{"数码"}, []string{"店长"}},
	{"墨香文具店", "Moxiang Stationery Shop", "黄浦", "B", '2', 0, 10000, []string{"文具"}, []string{"店主"}},
	{"书香文具店", "Shuxiang Stationery Shop", "海淀", "B", '2', 0, 10000, []string{"文具", "北京"}, []string{"店主"}},
	{"启智文具店", "Qizhi Stationery Shop", "天河", "B", '2', 0, 10000, []string{"文具", "广州"}, []string{"店主"}},
	{"简衣坊服装店", "Jianyi Clothing Shop", "静安", "B", '2', 0, 10000, []string{"服装"}, []string{"店主"}},
	{"棉麻小铺", "Cotton & Linen Shop", "西湖", "B", '2', 0, 10000, []string{"服装"}, []string{"店主"}},
}

// Office customers: 城市 + 字号 + 行业 (企业客户, buying stationery, paper,
// drinks for the pantry).
var (
	firmWords = []struct{ zh, en string }{
		{"星辰", "Xingchen"}, {"启明", "Qiming"}, {"德信", "Dexin"}, {"鼎新", "Dingxin"}, {"恒信", "Hengxin"},
		{"锦程", "Jincheng"}, {"远航", "Yuanhang"}, {"新锐", "Xinrui"}, {"天合", "Tianhe"}, {"同创", "Tongchuang"},
		{"盛世", "Shengshi"}, {"卓越", "Zhuoyue"}, {"博雅", "Boya"}, {"云帆", "Yunfan"}, {"瑞景", "Ruijing"},
	}
	firmTrades = []struct{ zh, en string }{
		{"信息科技有限公司", "Information Technology Co., Ltd."},
		{"广告有限公司", "Advertising Co., Ltd."},
		{"物业管理有限公司", "Property Management Co., Ltd."},
		{"教育科技有限公司", "Education Technology Co., Ltd."},
		{"文化传媒有限公司", "Culture & Media Co., Ltd."},
		{"建筑设计有限公司", "Architectural Design Co., Ltd."},
		{"人力资源服务有限公司", "Human Resources Services Co., Ltd."},
	}
	firmCities = []string{"徐汇", "静安", "浦东", "长宁", "闵行", "朝阳", "海淀", "天河"}
	// Corner shops: 姓 + 记 + kind.
	shopKinds = []struct{ zh, en string }{
		{"烟杂店", "Corner Shop"}, {"便利店", "Mini Mart"}, {"副食店", "Grocery"}, {"小卖部", "Kiosk"},
	}
	shopSurnames = []struct{ zh, en string }{
		{"王", "Wang"}, {"李", "Li"}, {"张", "Zhang"}, {"刘", "Liu"}, {"陈", "Chen"}, {"杨", "Yang"}, {"赵", "Zhao"}, {"黄", "Huang"},
		{"周", "Zhou"}, {"吴", "Wu"}, {"徐", "Xu"}, {"孙", "Sun"}, {"胡", "Hu"}, {"朱", "Zhu"}, {"高", "Gao"},
	}
	shopDistricts = []string{"普陀", "虹口", "杨浦", "闵行", "宝山", "浦东", "徐汇", "静安", "长宁", "黄浦", "嘉定", "松江", "青浦"}
)

// customerDefs lists the 100 customers before the random details.
func customerDefs(rng *rand.Rand) []customerDef {
	var out []customerDef
	for _, c := range chains {
		for _, at := range c.at {
			d := districts[at]
			out = append(out, customerDef{
				zh: c.zh + "(" + at + c.suffix + ")", en: c.en + " (" + shortEn(d.en) + ")", at: at,
				tier: c.tier, entity: '1', terms: c.terms, credit: c.credit, tags: c.tags, titles: c.contactFor,
			})
		}
	}
	out = append(out, singleCustomers...)
	// 15 office customers: distinct words, trades drawn at random.
	for _, w := range firmWords {
		t := pick(rng, firmTrades)
		at := pick(rng, firmCities)
		d := districts[at]
		city := "上海"
		cityEn := "Shanghai"
		switch d.code[:2] {
		case "11":
			city, cityEn = "北京", "Beijing"
		case "44":
			city, cityEn = "广州", "Guangzhou"
		}
		out = append(out, customerDef{
			zh: city + w.zh + t.zh, en: cityEn + " " + w.en + " " + t.en, at: at,
			tier: "B", entity: '1', terms: 30, credit: 30000 + 10000*int64(rng.IntN(6)), tags: []string{"企业客户"},
			titles: []string{"行政主管", "行政专员", "财务"},
		})
	}
	for _, s := range shopSurnames {
		k := pick(rng, shopKinds)
		out = append(out, customerDef{
			zh: s.zh + "记" + k.zh, en: s.en + "'s " + k.en, at: pick(rng, shopDistricts),
			tier: "B", entity: '2', terms: 0, credit: 5000 * int64(1+rng.IntN(3)), tags: []string{"便利店", "夫妻店"},
			titles: []string{"老板"},
		})
	}
	return out
}

// shortEn is the district part of an English place: "Tianhe, Guangzhou" →
// "Tianhe".
func shortEn(s string) string {
	for i := range len(s) {
		if s[i] == ',' {
			return s[:i]
		}
	}
	return s
}

func buildCustomers(rng *rand.Rand) []domain.Partner {
	defs := customerDefs(rng)
	// Customers were signed over the years, not group by group.
	rng.Shuffle(len(defs), func(i, j int) { defs[i], defs[j] = defs[j], defs[i] })
	out := make([]domain.Partner, 0, len(defs))
	for i, c := range defs {
		d := districts[c.at]
		p := domain.Partner{
			Code:             fmt.Sprintf("C%03d", i+1),
			Name:             c.zh,
			NameEn:           c.en,
			Kind:             domain.PartnerCustomer,
			TaxNo:            uscc(rng, c.entity, d.code),
			PaymentTermsDays: c.terms,
			CreditLimit:      domain.MoneyOf(c.credit),
			Tier:             c.tier,
			Tags:             append([]string(nil), c.tags...),
		}
		if c.entity == '1' || rng.IntN(3) == 0 {
			p.BankName, p.BankAccount = bank(rng, d)
		}
		first := domain.Contact{Name: personName(rng), Title: c.titles[0], Mobile: mobile(rng), Primary: true}
		if c.entity == '1' {
			first.Phone = landline(rng, d)
		}
		if rng.IntN(2) == 0 {
			first.WeChat = "wx_" + digits(rng, 8)
		}
		p.Contacts = []domain.Contact{first}
		if len(c.titles) > 1 {
			p.Contacts = append(p.Contacts, domain.Contact{Name: personName(rng), Title: c.titles[1+rng.IntN(len(c.titles)-1)], Mobile: mobile(rng)})
		}
		p.Addresses = []domain.Address{{Label: "收货地址", Region: d.region, Line: street(rng, d), Receiver: first.Name, Phone: first.Mobile, Primary: true}}
		if c.entity == '1' && rng.IntN(2) == 0 {
			p.Addresses = append(p.Addresses, domain.Address{Label: "发票邮寄地址", Region: d.region, Line: street(rng, d), Receiver: personName(rng), Phone: landline(rng, d)})
		}
		if c.terms == 0 {
			p.Note = "现款现货"
		}
		out = append(out, p)
	}
	return out
}
