//! kubesim's deterministic core. No file or terminal IO, no wall clock, no OS entropy:
//! the CLI owns those.
