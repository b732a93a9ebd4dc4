package dialogs_test

import (
	"context"
	"testing"

	"github.com/petitionbot/petitionbot/dialogs"
)

// TestStaffAlert checks the alert of a submitted case: the ID number masked to its last
// four characters, a minor's guardian reported as an agent, the screening included.
func TestStaffAlert(t *testing.T) {
	h := newHarness(t, false)
	for _, in := range minorApplication {
		h.send(h.input(in))
	}
	cs, err := h.cases.ByChat(context.Background(), 100)
	if err != nil || len(cs) != 1 {
		t.Fatalf("%d cases, %v", len(cs), err)
	}
	m := dialogs.StaffAlert(cs[0], dialogs.LangZh, shanghai)
	if !m.Staff || len(m.Parts) != 2 {
		t.Fatalf("alert %+v", m)
	}
	a := m.Parts[0]
	if got := a.Args["ID"]; got != "**************0017" {
		t.Errorf("ID shown as %q", got)
	}
	if a.Refs["Agent"] != "staff.agent.yes" {
		t.Errorf("a minor's guardian must show as an agent, got %q", a.Refs["Agent"])
	}
	if a.Args["Time"] != "2026-11-27 10:00" {
		t.Errorf("time %q, want it in Asia/Shanghai", a.Args["Time"])
	}
	if m.Parts[1].Key != "staff.screen.open" {
		t.Errorf("screening part %s", m.Parts[1].Key)
	}
}

var minorApplication = []string{
	"/start", "[menu.apply]", "[consent.agree]", "[consent.agree]", "[consent.agree]", "[target.judgment]", "[retrial.rejected]",
	"[answer.no]", "[service.signed]", "2026-09-01", "[applicant_type.individual]", "小明", "[id_type.resident]", "520502200811280017", "汉族",
	"[nav.skip]", "贵州省毕节市七星关区某某路8号", "13812345678", "王芳", "母亲", "13987654321",
	"某某镇人民政府", "[nav.skip]", "毕节市中级人民法院", "（2021）黔05行终123号", "2021-10-09", "[dispute.house]",
	"请求检察院对该判决依法提出抗诉", "镇政府拆除了我家的房屋，没有任何补偿，法院判决错误。", "[nav.done]", "[mediation.yes]", "[review.submit]",
}
