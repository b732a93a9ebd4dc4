package store

import "github.com/petitionbot/petitionbot/dialogs"

// commitPlan is the JSON plan of commitScript. Key fields are 1-based indexes into KEYS;
// numbers that may exceed what Lua's doubles print exactly travel as strings.
type commitPlan struct {
	U       string      `json:"u"`
	N       string      `json:"n"` // U as the session's mark of the latest update (see seen.go), or ""
	S       int         `json:"s"`
	P       int         `json:"p"`
	Seen    int         `json:"seen"`
	Ready   int         `json:"ready"`
	Cards   int         `json:"cards"`
	V       int64       `json:"v,string"`
	PV      int64       `json:"pv,string"` // the preferences' version read; -1: not checked
	SD      int         `json:"sd"`        // ARGV index of the session record
	STTL    int64       `json:"sttl,string"`
	Lang    string      `json:"lang"`
	SetLang bool        `json:"setlang"`
	NowS    int64       `json:"nows,string"`
	Old     int64       `json:"old,string"`
	SeenTTL int64       `json:"seenttl,string"`
	Token   string      `json:"token"`
	LeaseMS int64       `json:"lms,string"`
	Due     int64       `json:"due,string"` // when the claims expire, unix ms
	Cases   []planCase  `json:"cases"`
	Del     []int       `json:"del"`  // keys deleted first (a forget)
	LRem    []planPush  `json:"lrem"` // list items removed first (a forget)
	ZAdd    []planZ     `json:"zadd"`
	ZRem    []planZ     `json:"zrem"`
	SAdd    []planZ     `json:"sadd"` // S: a time to live in ms for the set, or ""
	ZIncr   []planZ     `json:"zincr"`
	Push    []planPush  `json:"push"`
	Sets    []planSet   `json:"sets"`
	Flags   []planFlag  `json:"flags"`
	Out     []planQueue `json:"out"`
	JZ      int         `json:"jz"` // the job schedule, when jobs change: jobs, jobs:rec, jobs:at
	JR      int         `json:"jr"`
	JA      int         `json:"ja"`
	Fired   string      `json:"fired"`
	FDue    string      `json:"fdue"`
	Cancel  []string    `json:"cancel"`
	Sched   []planJob   `json:"sched"`
}

// planJob schedules the job record ARGV[D] under ID, due at Due (unix ms).
type planJob struct {
	ID  string `json:"id"`
	D   int    `json:"d"`
	Due string `json:"due"`
}

type planCase struct {
	K int   `json:"k"`
	E int64 `json:"e,string"`
	D int   `json:"d"` // ARGV index of the record
}

type planZ struct {
	K int    `json:"k"`
	S string `json:"s"`
	M string `json:"m"`
}

// planSet stores a record D at K (field d), without a version check; with X, only if K
// still exists (an answer to a question the petitioner may have erased). TTL, when not
// "0", is K's new time to live in ms.
type planSet struct {
	K   int    `json:"k"`
	D   int    `json:"d"` // ARGV index of the record
	X   string `json:"x"`
	TTL int64  `json:"ttl,string"`
}

// planPush appends D to list K; with Keep, it pushes at the head and keeps Keep items.
type planPush struct {
	K    int    `json:"k"`
	D    int    `json:"d"` // ARGV index of the item
	Keep string `json:"keep"`
}

// planFlag sets field F of K to the encrypted Val with its keyed hash Tag in "F#", or,
// with Val empty, clears it: when C is set, only while its hash is one of Ifs (the
// expected value's hash under every key).
type planFlag struct {
	K   int      `json:"k"`
	F   string   `json:"f"`
	Val string   `json:"val"`
	Tag string   `json:"tag"`
	C   string   `json:"c"`
	Ifs []string `json:"ifs"`
}

type planQueue struct {
	R     string   `json:"r"` // the recipient's name
	Q     int      `json:"q"`
	L     int      `json:"l"`
	Parts int      `json:"parts"`
	D     []int    `json:"d"`     // ARGV indexes of the deliveries
	Cards []string `json:"cards"` // the card names of D, "" for none
	TTL   int64    `json:"ttl,string"`
	items []dialogs.Pending
	to    dialogs.Recipient
}

// planner collects the keys and the records of a plan.
type planner struct {
	keys []string
	idx  map[string]int
	argv []any // ARGV: the plan, then the records
}

// blob adds a stored record to ARGV and returns its index there (1-based, as in Lua).
func (p *planner) blob(s string) int {
	p.argv = append(p.argv, s)
	return len(p.argv)
}

func (p *planner) key(k string) int {
	if i, ok := p.idx[k]; ok {
		return i
	}
	p.keys = append(p.keys, k)
	p.idx[k] = len(p.keys)
	return len(p.keys)
}
