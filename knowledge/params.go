package knowledge

// params are the tuning knobs of retrieval. The defaults were chosen on the quality set
// (testdata/questions.yaml) with general mechanisms only; no value refers to a particular entry
// or question. See README.md, "Performance" and "Retrieval", for what was measured.
type params struct {
	// Field weights: title, all questions of the entry, answer, and the single best question.
	boostTitle, boostQ, boostAnswer, boostOneQ float64
	synBoost                                   float64 // weight of synonym expansions relative to typed words
	otherLang                                  float64 // weight of the non-UI language for a question in both scripts
	oneQWeight                                 float64 // weight of the best single question document vs. the entry document
	idfPow                                     float64 // each query term is boosted by its entry-level idf to this power
	hits                                       int     // documents fetched per search

	answerCover float64 // share of coverage credit for a query term found only in the answer
	unseenIDF   float64 // weight of a query term no entry contains, relative to the rarest term
	// functionWeight scales the weight of a Chinese bigram with a function character (怎么, 了怎).
	functionWeight float64

	minCoverage        float64 // confidence floor: idf-weighted share of query terms the best entry has
	minCoverageForeign float64 // the same, for a question without a single domain word
	sureCoverage       float64 // below this coverage the best score must also lead by minRatio
	minRatio           float64 // margin: best score over the runner-up's
	minPhrasing        float64 // share of one of the best entry's phrasings the question must contain
}

// defaultParams returns the tuned parameters.
func defaultParams() params {
	return params{
		boostTitle:         0.5,
		boostQ:             2,
		boostAnswer:        0.3,
		boostOneQ:          1,
		synBoost:           0.5,
		otherLang:          0.7,
		oneQWeight:         1,
		idfPow:             0.5,
		hits:               100,
		answerCover:        0.5,
		unseenIDF:          0.5,
		functionWeight:     0.2,
		minCoverage:        0.15,
		minCoverageForeign: 0.30,
		sureCoverage:       0.40,
		minRatio:           1.30,
		minPhrasing:        0.20,
	}
}
