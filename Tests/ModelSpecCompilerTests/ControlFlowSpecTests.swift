import Foundation
import ModelSpecCompiler
import Testing

/// `repeat:` and `if:`: what the checker refuses, at the place, and what the tracer makes.
@Suite struct ControlFlowSpecTests {
    static func spec(_ forward: String) -> String {
        """
        spec: 1
        model: A
        params:
          n: {type: Int, default: 0}
          flag: {type: Bool, default: true}
          name: {type: String, default: a}
        inputs:
          x: [2, 3]
        forward:

        """ + forward
    }

    @Test func formattedNames() throws {
        #expect(try MalformedSpec.diagnostics(Self.spec("""
              - scope: s
                do:
                  - repeat: {count: 2, index: i}
                    do:
                      - scope: "b_{i"
                        do: [dense: {units: 3}]
                      - scope: "b {i}"
                        do: [dense: {units: 3}]
                      - scope: "b_{j}_{i}"
                        do: [dense: {units: 3}]
            """)) == [
            "A.yaml:14:20: error: the scope name 'b_{i' has an unmatched '{'; write an index of an enclosing repeat in braces, such as \"block_{i}\"",
            "A.yaml:16:20: error: scope name 'b 0' has a space, which TensorFlow 1 refuses in a name; a name may use only letters A-Z and a-z, digits, and _ . - / \\ >",
            "A.yaml:18:20: error: scope name 'b_{j}_{i}' has '{', which TensorFlow 1 refuses in a name; a name may use only letters A-Z and a-z, digits, and _ . - / \\ >; and '{j}' in the scope name 'b_{j}_{i}' is not the index of an enclosing repeat",
        ])
    }

    @Test func repeatArguments() throws {
        #expect(try MalformedSpec.diagnostics(Self.spec("""
              - repeat: 0
                do: [relu]
              - repeat: $name
                do: [relu]
              - repeat: {count: 2, index: i}
                do:
                  - repeat: {count: 2, index: i}
                    do: [relu]
              - repeat: 2
              - repeat: 2
                as: y
                do: []
              - repeat: {count: 2, start: -1}
                do: [relu]
            """)) == [
            "A.yaml:10:13: error: repeat runs its steps at least once, not 0 times",
            "A.yaml:12:13: error: parameter '$name' is String, but Int is needed here",
            "A.yaml:16:35: error: index 'i' is already the index of an enclosing repeat; give this one another name",
            "A.yaml:18:5: error: repeat needs the steps it runs under 'do:'",
            "A.yaml:20:5: error: 'as' does not belong to 'repeat': its body binds the names, and '_' after it is its last value",
            "A.yaml:21:9: error: repeat needs at least one step under 'do:'",
            "A.yaml:22:31: error: the start of repeat's index must be between 0 and 1000000, not -1",
        ])
    }

    @Test func valuesBoundInsideABlockAreNotVisibleAfterIt() throws {
        #expect(try MalformedSpec.diagnostics(Self.spec("""
              - repeat: 2
                do:
                  - relu:
                    as: h
              - tanh: h
              - if: $flag
                do:
                  - relu:
                    as: k
              - sigmoid: k
            """)) == [
            "A.yaml:14:11: error: value 'h' is not visible here: it is bound inside the repeat at line 10, and a loop hands on only the names bound before it (and '_'); bind it before the loop to carry it through",
            "A.yaml:19:14: error: value 'k' is not visible here: it is bound inside the block with 'if' at line 15, which may not run; bind it before the block too, and the block rebinds it",
        ])
    }

    @Test func conditions() throws {
        #expect(try MalformedSpec.diagnostics(Self.spec("""
              - if: $name
                do: [relu]
              - if: maybe
                do: [relu]
              - constant: {value: 1.0}
                if: $flag
              - relu: x
                if: not $flag
            """)) == [
            "A.yaml:10:9: error: parameter '$name' is String, but Bool is needed here",
            "A.yaml:12:9: error: 'if' takes a Bool parameter, such as if: $project or if: not $project, not 'maybe'",
            "A.yaml:15:5: error: 'if' on 'constant' needs a step that makes one value from a tensor operand, which is its value when the flag does not hold; put steps without one under '- if: ...' with 'do:'",
        ])
    }

    @Test func aCountGivenByAParameterIsCheckedWhenTraced() throws {
        #expect(try MalformedSpec.diagnostics(Self.spec("""
              - scope: s
                do:
                  - repeat: $n
                    do: [dense: {units: 3}]
            """)) == ["A.yaml:12:9: error: repeat runs its steps at least once, but its count is $n = 0"])
    }

    /// A large count is refused before anything is traced, as a diamond of specs is.
    @Test func aLargeCountIsRefusedByTheExpansionBound() throws {
        let lines = try MalformedSpec.diagnostics(Self.spec("""
              - scope: s
                do:
                  - repeat: 1000000000000
                    do: [dense: {units: 3}]
            """))
        #expect(lines.count == 1 && lines[0].hasPrefix("A.yaml:10:5: error: the model expands to more than 1000000 steps"), "\(lines)")
    }

    /// The variables of a block that does not run are not made; a carried value changes shape as it goes.
    @Test func conditionalVariablesAndCarriedShapes() throws {
        let text = Self.spec("""
              - scope: s
                do:
                  - identity: x
                    as: h
                  - repeat: {count: 3, index: i, start: 1}
                    do:
                      - scope: "d{i}"
                        do:
                          - dense: {input: h, units: 2}
                            if: not $flag
                          - dense: {units: 4}
                            as: h
            """)
        let (_, checked) = try MalformedSpec.check(["A.yaml": Array(text.utf8)])
        #expect(checked.diagnostics.isEmpty, "\(checked.diagnostics)")
        let model = try #require(checked.model)
        func variables(_ params: [String: Literal]) -> [Manifest.Entry] {
            SpecCompiler(library: SpecLibrary(containing: model.file)).manifest(of: model, params: params).manifest?.variables ?? []
        }
        let flagged = variables(["n": .int(0), "flag": .bool(true), "name": .string("a")])
        let names: [String] = flagged.map(\.name)
        #expect(names == ["s/d1/dense/kernel", "s/d1/dense/bias", "s/d2/dense/kernel", "s/d2/dense/bias", "s/d3/dense/kernel", "s/d3/dense/bias"])
        let shapes: [[Int]] = flagged.map(\.shape)
        #expect(shapes == [[3, 4], [4], [4, 4], [4], [4, 4], [4]])
        let unflagged = variables(["n": .int(0), "flag": .bool(false), "name": .string("a")])
        let unflaggedNames: [String] = unflagged.map(\.name)
        #expect(unflaggedNames.count == 12 && unflaggedNames[2] == "s/d1/dense_1/kernel")
        let unflaggedShapes: [[Int]] = unflagged.map(\.shape)
        #expect(unflaggedShapes == [[3, 2], [2], [2, 4], [4], [4, 2], [2], [2, 4], [4], [4, 2], [2], [2, 4], [4]])
    }
}
