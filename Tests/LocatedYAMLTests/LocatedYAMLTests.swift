import Foundation
import Testing
@testable import LocatedYAML

// MARK: - Helpers

private let file = "specs/a.yaml"

private func parse(_ text: String) throws -> YAMLNode {
    try YAMLParser.parse(text, file: file)
}

/// The error `text` raises; records a test failure if it parses.
private func parseError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> YAMLError? {
    do {
        _ = try YAMLParser.parse(text, file: file)
        Issue.record("expected an error, parsed fine", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

private func at(_ line: Int, _ column: Int) -> LocatedYAML.SourceLocation {
    LocatedYAML.SourceLocation(file: file, line: line, column: column)
}

// MARK: - Locations

@Test func nestedBlockLocations() throws {
    let root = try parse("""
        model:
          name: mlp
          layers:
            - dense: 64
              activation: relu
            - dense: 10
        """)
    #expect(root.location == at(1, 1))
    let model = try #require(root.entry("model"))
    #expect(model.key.location == at(1, 1))
    // A block mapping as a value starts at its first key.
    #expect(model.value.location == at(2, 3))
    let name = try #require(model.value.entry("name"))
    #expect(name.key.location == at(2, 3))
    #expect(name.value.location == at(2, 9))
    #expect(name.value.string == "mlp")
    let layers = try #require(model.value["layers"]?.sequence)
    #expect(model.value["layers"]?.location == at(4, 5))
    #expect(layers.count == 2)
    #expect(layers[0].location == at(4, 7))
    #expect(layers[0].entry("dense")?.key.location == at(4, 7))
    #expect(layers[0]["dense"]?.location == at(4, 14))
    #expect(layers[0]["dense"]?.int == 64)
    #expect(layers[0].entry("activation")?.key.location == at(5, 7))
    #expect(layers[0]["activation"]?.location == at(5, 19))
    #expect(layers[1].location == at(6, 7))
    #expect(layers[1]["dense"]?.location == at(6, 14))
}

@Test func sequenceItemLocations() throws {
    let root = try parse("""
        - a
        -   b
        - - c
          - d
        """)
    let items = try #require(root.sequence)
    #expect(root.location == at(1, 1))
    #expect(items.map(\.location) == [at(1, 3), at(2, 5), at(3, 3)])
    let inner = try #require(items[2].sequence)
    #expect(inner.map(\.location) == [at(3, 5), at(4, 5)])
    #expect(inner.map(\.string) == ["c", "d"])
}

@Test func flowStyleLocations() throws {
    let root = try parse("x: {a: 1, b: [1, 2]}")
    let x = try #require(root["x"])
    #expect(x.location == at(1, 4))
    let entries = try #require(x.mapping)
    #expect(entries.map { $0.key.string } == ["a", "b"])
    #expect(entries[0].key.location == at(1, 5))
    #expect(entries[0].value.location == at(1, 8))
    #expect(entries[1].key.location == at(1, 11))
    #expect(entries[1].value.location == at(1, 14))
    let list = try #require(entries[1].value.sequence)
    #expect(list.map(\.location) == [at(1, 15), at(1, 18)])
    #expect(list.map(\.int) == [1, 2])
}

@Test func topLevelFlowMapping() throws {
    let root = try parse("{a: 1, b: [1, 2]}")
    #expect(root.location == at(1, 1))
    #expect(root.entry("a")?.key.location == at(1, 2))
    #expect(root["a"]?.location == at(1, 5))
    #expect(root["b"]?.location == at(1, 11))
    #expect(root["b"]?.sequence?.map(\.location) == [at(1, 12), at(1, 15)])
}

@Test func emptyValueLocationAndColumnsCountCharacters() throws {
    let root = try parse("a:\nb: 1\n\"ü€\": x\n")
    // An empty value is placed just after its colon, as libyaml reports it.
    #expect(root["a"]?.isNull == true)
    #expect(root["a"]?.location == at(1, 3))
    // Columns count characters, not bytes.
    #expect(root["ü€"]?.location == at(3, 7))
}

@Test func locationDescription() {
    #expect(at(3, 5).description == "specs/a.yaml:3:5")
}

// MARK: - Scalars

@Test func everyScalarStyle() throws {
    let root = try parse("""
        plain: hello world
        single: 'it''s'
        double: "tab\\there\\u00e9"
        literal: |
          line 1
          line 2
        folded: >
          folded
          text
        """)
    #expect(root["plain"]?.scalar?.style == .plain)
    #expect(root["plain"]?.string == "hello world")
    #expect(root["single"]?.scalar?.style == .singleQuoted)
    #expect(root["single"]?.string == "it's")
    #expect(root["double"]?.scalar?.style == .doubleQuoted)
    #expect(root["double"]?.string == "tab\there\u{e9}")
    #expect(root["literal"]?.scalar?.style == .literal)
    #expect(root["literal"]?.string == "line 1\nline 2\n")
    #expect(root["literal"]?.location == at(4, 10))
    #expect(root["folded"]?.scalar?.style == .folded)
    // Clip chomping: no final line break because the input ends without one.
    #expect(root["folded"]?.string == "folded text")
}

@Test func nullForms() throws {
    let root = try parse("""
        a: ~
        b: null
        c: Null
        d: NULL
        e:
        f: nULL
        g: ''
        h: "null"
        i: !!str
        j: !!null ""
        """)
    for key in ["a", "b", "c", "d", "e", "j"] {
        #expect(root[key]?.isNull == true, "\(key)")
        #expect(root[key]?.kindDescription == "null", "\(key)")
        #expect(root[key]?.string == nil, "\(key)")
    }
    for key in ["f", "g", "h", "i"] {
        #expect(root[key]?.isNull == false, "\(key)")
        #expect(root[key]?.kindDescription == "a string", "\(key)")
    }
    #expect(root["i"]?.string == "")
    #expect(root["i"]?.tag == "tag:yaml.org,2002:str")
}

@Test func typedReadsInt() throws {
    let root = try parse("""
        [0, 42, -17, +5, 0x1F, 0o17, 007, "42", '42', 1.5, 0x, 0xG, 0o8, -0x1, 1_000, 99999999999999999999, !!int "12", !!str 12, ! 12]
        """)
    let values = try #require(root.sequence).map(\.int)
    #expect(values == [0, 42, -17, 5, 31, 15, 7, nil, nil, nil, nil, nil, nil, nil, nil, nil, 12, nil, nil])
}

@Test func typedReadsDouble() throws {
    let root = try parse("""
        [1.5, -2.25, +.5, 3., 1e3, 2.5E-2, .inf, -.Inf, +.INF, 7, 0x10, "1.5", 1.2.3, ., e3, 1e, inf, nan]
        """)
    let values = try #require(root.sequence).map(\.double)
    #expect(Array(values[0...9]) == [1.5, -2.25, 0.5, 3.0, 1000, 0.025, .infinity, -.infinity, .infinity, 7])
    #expect(values[10] == 16)
    #expect(Array(values[11...]) == [Double?](repeating: nil, count: 7))
    for text in [".nan", ".NaN", ".NAN"] {
        #expect(try parse(text).double?.isNaN == true)
    }
}

@Test func typedReadsBool() throws {
    let root = try parse("[true, True, TRUE, false, False, FALSE, yes, no, on, tRUE, \"true\", 1]")
    let values = try #require(root.sequence).map(\.bool)
    #expect(values == [true, true, true, false, false, false, nil, nil, nil, nil, nil, nil])
    // Quoted scalars are strings.
    #expect(root.sequence?[10].string == "true")
}

@Test func kindDescriptionsAndAccessors() throws {
    let root = try parse("m: {k: v}\ns: [1]\nt: text\nn: ~\n")
    #expect(root.kindDescription == "a mapping")
    #expect(root["m"]?.kindDescription == "a mapping")
    #expect(root["s"]?.kindDescription == "a sequence")
    #expect(root["t"]?.kindDescription == "a string")
    #expect(root["n"]?.kindDescription == "null")
    #expect(root["missing"] == nil)
    #expect(root["s"]?["k"] == nil)
    #expect(root["m"]?.sequence == nil)
    #expect(root["s"]?.mapping == nil)
    #expect(root["s"]?.scalar == nil)
    #expect(root.mapping?.map { $0.key.string } == ["m", "s", "t", "n"])
}

@Test func explicitTags() throws {
    let root = try parse("a: !!str 5\nb: !custom {x: 1}\nc: !!int 7\nd: 8\n")
    #expect(root["a"]?.tag == "tag:yaml.org,2002:str")
    #expect(root["a"]?.int == nil)
    #expect(root["a"]?.string == "5")
    #expect(root["a"]?.location == at(1, 4))
    #expect(root["b"]?.tag == "!custom")
    #expect(root["b"]?.mapping?.count == 1)
    #expect(root["c"]?.int == 7)
    #expect(root["d"]?.tag == nil)
}

// MARK: - Anchors and aliases

@Test func anchorsAndAliases() throws {
    let root = try parse("""
        base: &base
          units: 64
          activation: relu
        copy: *base
        list: [&n 3, *n, *n]
        """)
    let base = try #require(root["base"])
    #expect(base.location == at(1, 7))
    let copy = try #require(root["copy"])
    // The alias node is located at the alias, with the anchored content.
    #expect(copy.location == at(4, 7))
    #expect(copy["units"]?.int == 64)
    #expect(copy["activation"]?.string == "relu")
    // Nodes inside keep the locations of the anchored text.
    #expect(copy["units"]?.location == at(2, 10))
    let list = try #require(root["list"]?.sequence)
    #expect(list.map(\.int) == [3, 3, 3])
    #expect(list.map(\.location) == [at(5, 8), at(5, 14), at(5, 18)])
}

@Test func undefinedAlias() throws {
    let error = try #require(parseError("a: 1\nb: *nope\n"))
    #expect(error.location == at(2, 4))
    #expect(error.message == "undefined alias '*nope'")
    #expect(error.description == "specs/a.yaml:2:4: error: undefined alias '*nope'")
}

@Test func recursiveAliasIsAnError() throws {
    let error = try #require(parseError("a: &x\n  b: *x\n"))
    #expect(error.location == at(2, 6))
    #expect(error.message.hasPrefix("alias '*x' refers to a node that contains it"))
}

@Test func aliasBombIsRejected() throws {
    var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1...7 {
        text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    let error = try #require(parseError(text))
    #expect(error.message.hasPrefix("too many nodes after expanding aliases"))
}

// MARK: - Errors

@Test func syntaxErrorUsesProblemMark() throws {
    let error = try #require(parseError("""
        model:
          name: mlp
          bad: x: y
        """))
    #expect(error.location == at(3, 9))
    #expect(error.message == "mapping values are not allowed in this context")
    #expect(error.description == "specs/a.yaml:3:9: error: mapping values are not allowed in this context")
}

@Test func parserErrorHasContextNote() throws {
    let error = try #require(parseError("a:\n  b: 1\n c: 2\n"))
    #expect(error.location == at(3, 2))
    #expect(error.message == "did not find expected key")
    #expect(error.notes.first?.message == "while parsing a block mapping")
    // The inner mapping ended at the dedent; the outer one cannot go on.
    #expect(error.notes.first?.location == at(1, 1))
    #expect(error.fullDescription == """
        specs/a.yaml:3:2: error: did not find expected key
        specs/a.yaml:1:1: note: while parsing a block mapping
        """)
}

@Test func unclosedFlowSequence() throws {
    let error = try #require(parseError("a: [1, 2\nb: 3\n"))
    // "2 b" is one multi-line plain scalar; libyaml gives up at the ':' after it.
    #expect(error.location == at(2, 2))
    #expect(error.message == "did not find expected ',' or ']'")
    #expect(error.notes.first?.message == "while parsing a flow sequence")
    #expect(error.notes.first?.location == at(1, 4))
}

@Test func tabIndentationError() throws {
    let error = try #require(parseError("a:\n\tb: 1\n"))
    #expect(error.location == at(2, 1))
    #expect(error.message == "found character that cannot start any token")
}

@Test func duplicateKeys() throws {
    let error = try #require(parseError("""
        layer:
          units: 64
          activation: relu
          'units': 32
        """))
    #expect(error.location == at(4, 3))
    #expect(error.message == "duplicate key 'units' (first at line 2)")
    #expect(error.notes.first?.location == at(2, 3))
    // The same key in different mappings is fine.
    _ = try parse("a: {x: 1}\nb: {x: 2}\n")
}

@Test func duplicateKeysInFlowMappingAndNullKeys() throws {
    let flow = try #require(parseError("{a: 1, b: 2, a: 3}"))
    #expect(flow.location == at(1, 14))
    #expect(flow.message == "duplicate key 'a' (first at line 1)")
    let nulls = try #require(parseError("~: 1\nnull: 2\n"))
    #expect(nulls.location == at(2, 1))
    #expect(nulls.message == "duplicate key null (first at line 1)")
}

@Test func multipleDocuments() throws {
    let error = try #require(parseError("a: 1\n---\nb: 2\n"))
    #expect(error.location == at(2, 1))
    #expect(error.message == "expected a single YAML document, found another document")
    // An explicit start and end of one document is fine.
    #expect(try parse("---\na: 1\n...\n")["a"]?.int == 1)
    // Even an empty second document is a second document.
    let second = try #require(parseError("---\na: 1\n---\n"))
    #expect(second.location == at(3, 1))
}

@Test func emptyInput() throws {
    for text in ["", "\n\n", "# only a comment\n", "---\n"] {
        let root = try parse(text)
        #expect(root.isNull, "\(text.debugDescription)")
        #expect(root.scalar?.text == "")
        #expect(root.kindDescription == "null")
    }
    #expect(try parse("").location == at(1, 1))
}

@Test func invalidUTF8() throws {
    do {
        _ = try YAMLParser.parse(bytes: Array("a: 1\nb: x".utf8) + [0xFF] + Array("\n".utf8), file: file)
        Issue.record("expected an error")
    } catch {
        #expect(error.location == at(2, 5))
        #expect(error.message == "the file is not UTF-8 (or UTF-16) text: invalid leading UTF-8 octet (byte 0xFF)")
        #expect(error.unreadable)
    }
    do {
        _ = try YAMLParser.parse(bytes: Array("ü: \u{7}".utf8), file: file)
        Issue.record("expected an error")
    } catch {
        #expect(error.location == at(1, 4))
        #expect(error.message == "control characters are not allowed (U+0007)")
        #expect(!error.unreadable)
    }
    // A truncated multi-byte sequence at the end.
    #expect(throws: YAMLError.self) { try YAMLParser.parse(bytes: [0x61, 0x3A, 0x20, 0xC3], file: file) }
}

@Test func fileNotFoundAndFileReading() throws {
    do {
        _ = try YAMLParser.parse(contentsOf: "/nonexistent/dir/spec.yaml")
        Issue.record("expected an error")
    } catch {
        #expect(error.location == LocatedYAML.SourceLocation(file: "/nonexistent/dir/spec.yaml", line: 0, column: 0))
        #expect(error.message == "cannot read the file: it does not exist")
        #expect(error.description == "/nonexistent/dir/spec.yaml: error: cannot read the file: it does not exist")
        #expect(error.unreadable)
    }
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("LocatedYAMLTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
        _ = try YAMLParser.parse(contentsOf: directory.path)
        Issue.record("expected an error")
    } catch {
        #expect(error.location.line == 0)
        #expect(error.message == "cannot read the file: it is a directory")
    }
    let path = directory.appendingPathComponent("spec.yaml").path
    try "name: x\nunits: a: 2\n".write(toFile: path, atomically: true, encoding: .utf8)
    do {
        _ = try YAMLParser.parse(contentsOf: path)
        Issue.record("expected an error")
    } catch {
        #expect(error.location.file == path)
        #expect(error.location == LocatedYAML.SourceLocation(file: path, line: 2, column: 9))
        #expect(error.description == "\(path):2:9: error: mapping values are not allowed in this context")
    }
    try "name: x\n".write(toFile: path, atomically: true, encoding: .utf8)
    let root = try YAMLParser.parse(contentsOf: path)
    #expect(root["name"]?.location == LocatedYAML.SourceLocation(file: path, line: 1, column: 7))
}

@Test func deepNestingIsAnError() throws {
    let depth = YAMLParser.maximumDepth + 1
    let error = try #require(parseError(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)))
    #expect(error.location == at(1, depth))
    #expect(error.message.hasPrefix("nesting too deep"))
    let ok = YAMLParser.maximumDepth
    _ = try parse(String(repeating: "[", count: ok) + String(repeating: "]", count: ok))
}

@Test func windowsLineEndings() throws {
    let root = try parse("a: 1\r\nb:\r\n  - x\r\n")
    #expect(root["b"]?.sequence?.first?.location == at(3, 5))
    let error = try #require(parseError("a: 1\r\nb: *x\r\n"))
    #expect(error.location == at(2, 4))
}

@Test func concurrentParsing() async throws {
    // The parser keeps no shared state: parse from several tasks at once.
    let results = await withTaskGroup(of: Int?.self) { group in
        for i in 0..<16 {
            group.addTask { try? YAMLParser.parse("n: \(i)\n", file: "f\(i)")["n"]?.int }
        }
        var all: [Int?] = []
        for await r in group { all.append(r) }
        return all
    }
    #expect(Set(results.compactMap { $0 }) == Set(0..<16))
}

/// A FIFO named like a spec is refused at once, never opened waiting for a writer;
/// a file without read permission says so.
@Test func fifoAndUnreadableFileAreRefusedWithoutBlocking() throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("LocatedYAMLTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("x.yaml").path
    #expect(mkfifo(fifo, 0o644) == 0)
    #expect(!YAMLFile.isRegularFile(fifo))
    do {
        _ = try YAMLParser.parse(contentsOf: fifo)
        Issue.record("expected an error")
    } catch {
        #expect(error.description == "\(fifo): error: cannot read the file: it is a FIFO (named pipe), not a regular file")
        #expect(error.unreadable)
    }
    let locked = directory.appendingPathComponent("locked.yaml").path
    try "a: 1\n".write(toFile: locked, atomically: true, encoding: .utf8)
    #expect(YAMLFile.isRegularFile(locked))
    #expect(chmod(locked, 0) == 0)
    if geteuid() != 0 {  // root reads any file
        do {
            _ = try YAMLParser.parse(contentsOf: locked)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "cannot read the file: permission denied")
        }
    }
}
