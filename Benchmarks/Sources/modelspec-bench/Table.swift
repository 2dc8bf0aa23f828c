// The timing table: Swift, TensorFlow and ONNX Runtime side by side.

/// Prints one table of rows. `oneThread` holds every row, for the speed-up of a
/// row with more threads over the same model and batch size with the first thread count.
func printTable(_ rows: [Row], oneThread: [Row]) {
    let header = [padded("model", 16, right: false), padded("batch", 5), padded("threads", 7),
                  padded("Swift ms", 10), padded("TF ms", 10), padded("ORT ms", 10),
                  padded("Swift samples/s", 15), padded("TF/Swift", 8), padded("ORT/Swift", 9), padded("speed-up", 8)]
    print(header.joined(separator: "  "))
    print(String(repeating: "-", count: header.joined(separator: "  ").count))
    for row in rows {
        let s = median(row.swift)
        func column(_ times: [Double], _ width: Int) -> String {
            padded(times.isEmpty ? "-" : formatted(median(times) * 1e3, 4), width)
        }
        func ratio(_ times: [Double], _ width: Int) -> String {
            padded(times.isEmpty ? "-" : formatted(median(times) / s, 2) + "x", width)
        }
        let base = oneThread.first { $0.model == row.model && $0.batch == row.batch && $0.threads < row.threads }
        print([padded(row.model, 16, right: false), padded("\(row.batch)", 5), padded("\(row.threads)", 7),
               column(row.swift, 10), column(row.tf, 10), column(row.onnx, 10),
               padded(formatted(Double(row.batch) / s, 0), 15), ratio(row.tf, 8), ratio(row.onnx, 9),
               padded(base.map { formatted(median($0.swift) / s, 2) + "x" } ?? "", 8)].joined(separator: "  "))
    }
    print("")
}

/// A row of the JSON report.
func jsonRow(_ row: Row) -> [String: Any] {
    let s = median(row.swift)
    var j: [String: Any] = ["model": row.model, "batch": row.batch, "threads": row.threads,
                            "swift_ms": s * 1e3, "swift_runs": row.swift.count]
    if !row.tf.isEmpty {
        j["tf_ms"] = median(row.tf) * 1e3; j["tf_runs"] = row.tf.count; j["ratio_tf_over_swift"] = median(row.tf) / s
    }
    if !row.onnx.isEmpty {
        j["onnx_ms"] = median(row.onnx) * 1e3; j["onnx_runs"] = row.onnx.count
        j["ratio_onnx_over_swift"] = median(row.onnx) / s
    }
    return j
}
