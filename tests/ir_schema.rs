//! The IR's JSON Schema: generated from the Rust types, kept in `docs/ir.schema.json`
//! (`KR_BLESS=1` rewrites it), obeyed by the JSON output, and covered by `docs/IR.md`.

mod common;

use std::collections::BTreeSet;

use common::*;
use serde_json::Value;

fn committed_schema_path() -> std::path::PathBuf {
    root().join("docs/ir.schema.json")
}

#[test]
fn committed_schema_is_generated_from_the_types() {
    let generated =
        serde_json::to_string_pretty(&kr_publish::ir::json_schema()).expect("json") + "\n";
    let path = committed_schema_path();
    if std::env::var("KR_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).expect("docs/ir.schema.json exists");
    assert!(
        committed == generated,
        "docs/ir.schema.json is out of date with src/ir.rs; run KR_BLESS=1 cargo test --test ir_schema and review the diff"
    );
}

#[test]
fn json_output_of_real_books_obeys_the_schema() {
    let schema = kr_publish::ir::json_schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema");
    for (book, name) in [
        (kr_book(), "kernel-recipes-2023"),
        (root().join("tests/fixtures/features"), "features"),
    ] {
        let out = scratch(&format!("ir-schema-{name}"));
        build_ok(&book, &out, "json", &[]);
        let text = std::fs::read_to_string(out.join(format!("{name}.json"))).expect("json output");
        let json: Value = serde_json::from_str(&text).expect("valid JSON");
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        // The check can fail: a tree with an unknown block kind does not validate.
        let mut broken = json.clone();
        broken["parts"][0]["chapters"][0]["blocks"][0]["t"] = Value::from("Marquee");
        assert!(
            !validator.is_valid(&broken),
            "{name}: the schema accepts anything"
        );
    }
}

/// Every property name and every variant tag the schema declares.
fn schema_names(v: &Value, names: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Object(props)) = map.get("properties") {
                names.extend(props.keys().cloned());
            }
            for key in ["const", "enum"] {
                match map.get(key) {
                    Some(Value::String(s)) => {
                        names.insert(s.clone());
                    }
                    Some(Value::Array(values)) => {
                        names.extend(values.iter().filter_map(|v| v.as_str().map(String::from)))
                    }
                    _ => {}
                }
            }
            map.values().for_each(|v| schema_names(v, names));
        }
        Value::Array(items) => items.iter().for_each(|v| schema_names(v, names)),
        _ => {}
    }
}

#[test]
fn ir_doc_names_every_field_and_variant() {
    let doc = std::fs::read_to_string(root().join("docs/IR.md")).expect("docs/IR.md");
    let words: BTreeSet<&str> = doc
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .collect();
    let mut names = BTreeSet::new();
    schema_names(&kr_publish::ir::json_schema(), &mut names);
    assert!(names.len() > 60, "too few names found: {names:?}");
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !words.contains(n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/IR.md does not mention {missing:?}"
    );
}
