import Foundation

/// What `names --json` owes when it exits 0: every variable it lists could be
/// made, so no dimension is negative and the variable's bytes can be counted
/// in an `Int` (TensorFlow refuses such shapes; a manifest that lists them only
/// defers the failure to the first call).
enum ManifestOracle {
    /// What is wrong with the listing, if anything.
    static func problem(inListing json: String) -> String? {
        guard let variables = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return nil }
        for variable in variables {
            guard let shape = variable["shape"] as? [Any] else { continue }
            let dims = shape.compactMap { ($0 as? NSNumber)?.int64Value }
            let name = variable["name"] as? String ?? "?"
            if let negative = dims.first(where: { $0 < 0 }) {
                return "`names` lists a variable with a negative dimension (\(negative))"
                    + "|\(name) \(dims)"
            }
            var bytes: Int64 = 8  // the widest element
            for dim in dims {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: dim)
                guard !overflow else { return "`names` lists a variable whose size overflows|\(name) \(dims)" }
                bytes = product
            }
        }
        return nil
    }
}
