//! Benchmark placeholder filled in by the reports benchmark work.
fn main() {}
