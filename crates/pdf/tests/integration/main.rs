//! handoff-pdf's integration tests as one binary, a module per document: PDFs rendered from
//! realistic view models and read back with poppler (`pdftotext`, `pdfinfo`, `pdfsig`). The view models,
//! `tests/common`, are shared with the benchmark and the samples example.

#[path = "../common/mod.rs"]
mod common;
mod poppler;

mod brief;
mod pack;
mod seal;
