package fakeapi

// ApplicationScript is a whole supervision application through petitionbot, as a user
// presses and types it (serviceDate is the day the rejection was served: keep it within
// six months of today), then questions for the knowledge base. Load tests and benchmarks
// play it with a Crowd.
func ApplicationScript(serviceDate string, questions int) []Step {
	s := []Step{
		{Text: "/start"}, {Press: "m:apply"}, {Press: "f:consent:yes"}, {Press: "f:consent_abroad:yes"},
		{Press: "f:consent_sensitive:yes"}, {Press: "f:target:judgment"}, {Press: "f:retrial:rejected"},
		{Press: "f:retrial_late:no"}, {Press: "f:service:signed"}, {Text: serviceDate},
		{Press: "f:applicant_type:individual"}, {Text: "张三"}, {Press: "f:id_type:resident"},
		{Text: "520502198506120033"}, {Text: "汉族"}, {Press: "n:skip:occupation"},
		{Text: "贵州省毕节市七星关区某某路8号"}, {Text: "13812345678"}, {Press: "f:representation:self"},
		{Text: "某某镇人民政府"}, {Press: "n:skip:body_address"}, {Text: "毕节市中级人民法院"},
		{Text: "（2021）黔05行终123号"}, {Text: "2021-10-09"}, {Press: "f:dispute:land"},
		{Text: "请求检察院对该判决依法提出抗诉或者再审检察建议"},
		{Text: "镇政府征收我家承包地，至今没有支付补偿款，法院判决错误。"}, {Photo: "photo-1"},
		{Press: "n:done:documents"}, {Press: "f:mediation:yes"}, {Press: "r:submit"},
	}
	qs := []string{"申请监督要花钱吗", "How long does the review take?", "听证会是什么流程", "我需要请律师吗"}
	for i := 0; i < questions; i++ {
		s = append(s, Step{Text: qs[i%len(qs)]})
	}
	return s
}
