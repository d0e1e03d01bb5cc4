//! `--format json`: the whole IR as JSON, the contract external filters read (see docs/IR.md).

use super::{Backend, Output, RenderContext, Rendered};
use crate::diag::Diagnostic;
use crate::ir::Book;

pub(crate) struct JsonBackend;

impl Backend for JsonBackend {
    fn name(&self) -> &'static str {
        "json"
    }

    fn render(&self, book: &Book, _cx: &RenderContext) -> Result<Rendered, Vec<Diagnostic>> {
        let mut bytes = serde_json::to_vec_pretty(book)
            .map_err(|e| vec![Diagnostic::general(format!("cannot serialise the IR: {e}"))])?;
        bytes.push(b'\n');
        Ok(Rendered {
            output: Output::File {
                name: format!("{}.json", book.meta.base_name),
                bytes,
            },
            warnings: Vec::new(),
        })
    }
}
