//! Markdown (and plain-terminal) tables.

/// A Markdown table: a header row, an alignment row, and one row per entry; cells are escaped for `|`.
pub fn markdown_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let escape = |cell: &str| cell.replace('|', "\\|");
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let mut out = line(header.iter().map(|h| escape(h)).collect());
    out += &line(header.iter().map(|_| "---".to_string()).collect());
    for row in rows {
        out += &line(row.iter().map(|c| escape(c)).collect());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::markdown_table;

    #[test]
    fn escapes_pipes_and_aligns_columns() {
        let table = markdown_table(&["a", "b"], &[vec!["1".into(), "x|y".into()]]);
        assert_eq!(table, "| a | b |\n| --- | --- |\n| 1 | x\\|y |\n");
    }
}
