/// `.npy` files written by hand: headers with shapes whose products overflow,
/// negative or unparsable dimensions, other dtypes, lengths that lie.
enum NpyCrafter {
    /// A version 1.0 file with this header dict and these data bytes.
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        var text = header
        while (10 + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        let length = text.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(text.utf8) + data
    }

    static func header(descr: String = "<f4", fortran: String = "False", shape: String) -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
    }

    /// Crafted files, each with what it is; `floats` is the data of a [8, 20] float32 input.
    static func cases(floats data: [UInt8]) -> [(name: String, bytes: [UInt8])] {
        var cases: [(String, [UInt8])] = [
            "shape (2^62, 4)": "(4611686018427387904, 4)",
            "shape (3037000500, 3037000500, 20)": "(3037000500, 3037000500, 20)",
            "shape (Int.max,)": "(9223372036854775807,)",
            "shape (Int.max, 20)": "(9223372036854775807, 20)",
            "shape (-1, 20)": "(-1, 20)",
            "shape (10^20, 20)": "(100000000000000000000, 20)",
            "shape (4, 20), too few bytes": "(4, 40)",
            "shape ()": "()",
            "shape (0, 20)": "(0, 20)",
        ].sorted { $0.key < $1.key }.map { ($0.key, file(header: header(shape: $0.value), data: data)) }
        for descr in ["<f8", "|b1", "<i8", ">f4", "O", "<U5", "<f2", "<c8", "V4"] {
            cases.append(("descr \(descr)", file(header: header(descr: descr, shape: "(8, 20)"), data: data)))
        }
        cases.append(("fortran order", file(header: header(fortran: "True", shape: "(8, 20)"), data: data)))
        let good = file(header: header(shape: "(8, 20)"), data: data)
        var longHeader = good
        longHeader[8] = 0xFF
        longHeader[9] = 0xFF
        cases.append(("header length 65535", longHeader))
        var version2 = good
        version2[6] = 2
        cases.append(("version 2.0 reading the length as 4 bytes", version2))
        cases.append(("version 2.0, header length 2^32 - 1", [0x93] + Array("NUMPY".utf8) + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF] + Array("{}".utf8)))
        cases.append(("header without a closing brace", file(header: "{'descr': '<f4', 'shape': (8, 20", data: data)))
        cases.append(("data cut in half", file(header: header(shape: "(8, 20)"), data: Array(data.prefix(data.count / 2)))))
        return cases
    }
}
