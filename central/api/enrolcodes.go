package api

// CodeTooMany (429): too many wrong enrolment codes came from the caller's
// address lately; wait for Retry-After seconds before trying again.
const CodeTooMany = "too-many"
