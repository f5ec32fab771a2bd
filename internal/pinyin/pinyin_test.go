package pinyin

import "testing"

func TestInitials(t *testing.T) {
	tests := []struct{ in, want string }{
		{"可口可乐 330ml", "kkkl330ml"},
		{"纯棉T恤", "cmtx"},
		{"上海华联超市", "shhlcs"},
		{"USB-C 数据线", "usbcsjx"},
		{"", ""},
		{"（）！", ""},
	}
	for _, tt := range tests {
		if got := Initials(tt.in); got != tt.want {
			t.Errorf("Initials(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
