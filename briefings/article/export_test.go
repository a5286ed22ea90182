package article

// TreatAsPublic makes the fetcher connect to the loopback address (host
// and port) as if it were a public site, so that a test can follow a
// redirect from a "public" server to a loopback one with loopback refused.
// Every other address passes the real check.
func (f *Fetcher) TreatAsPublic(address string) {
	f.publicForTest = address
}
