package db

// SetRankedCandidates makes Search rank at most n candidates, as if the
// library were large, until the returned function restores the setting.
func SetRankedCandidates(n int) (restore func()) {
	old := rankedCandidates
	rankedCandidates = n
	return func() { rankedCandidates = old }
}
