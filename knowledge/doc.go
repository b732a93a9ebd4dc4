// Package knowledge holds petitionbot's curated knowledge base and finds the entry that answers a
// petitioner's question.
//
// Entries are YAML files under entries/ (see README.md for the format). [Load] reads them from any
// fs.FS with that layout, [Check] validates a folder and reports every problem it finds, and
// [NewIndex] builds an in-memory inverted index (bleve's analysers, bleve's tf-idf scoring) whose
// [Index.Search] ranks entries for a question in Simplified Chinese or English and decides whether
// the best match is confident enough to answer and whether the question is outside the bot's
// domain.
//
// The package has no global state: the embedded base is returned by [Embedded], and everything
// else is built from explicit values.
package knowledge
