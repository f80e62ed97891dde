//! Integration tests, one binary made of modules so it compiles once.

mod accuracy;
mod cli;
mod common;
mod decode;
mod measure;
mod report_schema;
mod timeline;
