//! Benchmark placeholder filled in by the imports benchmark work.
fn main() {}
