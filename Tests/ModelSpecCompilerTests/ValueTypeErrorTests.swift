import ModelSpecCompiler
import Testing

/// What the checker and the tracer refuse about dtypes, several values and slices, each at its place.
@Suite struct ValueTypeErrorTests {
    private func lines(_ text: String, params: [String: Literal] = [:]) throws -> [String] {
        try MalformedSpec.diagnostics(text, params: params)
    }

    @Test func boolWhereNumbersAreNeededAndNumbersWhereBoolIs() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - greater: [x, 0]
                as: mask
              - add: [mask, 1]
              - logical_and: [mask, x]
            """) == [
                "A.yaml:8:5: error: add takes numbers, but 'mask' is bool; cast it first, such as cast: {input: mask, dtype: float32}",
                "A.yaml:9:5: error: logical_and takes bool operands (a comparison, such as greater: [x, 0]), but 'x' is float32",
            ])
    }

    /// TensorFlow's dtype rules: one dtype per operation, no Python float as an integer, no integer kernel
    /// where TensorFlow has none, and no float64.
    @Test func integersWhereTensorFlowRefusesThem() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
              ids: {shape: [batch, 3], dtype: int32}
              big: {shape: [batch, 3], dtype: int64}
              img: {shape: [1, 4, 4, 1], dtype: int32}
            forward:
              - add: [ids, 0.5]
              - add: [ids, 1.0]
              - add: [ids, x]
              - multiply: [ids, big]
              - sqrt: ids
              - divide: [ids, 2]
              - add: [ids, 2147483648]
              - pad: {input: ids, paddings: [[0, 0], [1, 1]], constant_values: 0.5}
              - nn.max_pool2d: {input: img, ksize: 2, strides: 2, padding: valid}
              - one_hot: {input: ids, depth: 3, on_value: 2.5, dtype: int32}
            """) == [
                "A.yaml:9:5: error: add computes in int32, the dtype of 'ids', so the literal must be written as an integer, as TensorFlow refuses to convert a Python float to int32 (not 0.5); write an integer, or cast the operand to float32 first",
                "A.yaml:10:5: error: add computes in int32, the dtype of 'ids', so the literal must be written as an integer, as TensorFlow refuses to convert a Python float to int32; write an integer, or cast the operand to float32 first",
                "A.yaml:11:5: error: add needs operands of one dtype, as TensorFlow does (it converts neither), but 'ids' is int32 and 'x' is float32; cast one first, such as cast: {input: x, dtype: int32}",
                "A.yaml:12:5: error: multiply needs operands of one dtype, as TensorFlow does (it converts neither), but 'ids' is int32 and 'big' is int64; cast one first, such as cast: {input: big, dtype: int32}",
                "A.yaml:13:5: error: sqrt takes float32, but 'ids' is int32 (TensorFlow's tf.math.sqrt has no integer kernel); cast it first, such as cast: {input: ids, dtype: float32}",
                "A.yaml:14:5: error: divide of int32 makes float64 in TensorFlow (tf.math.divide converts integers to float64), which ModelSpec does not have; cast the operands to float32 first, such as cast: {input: x, dtype: float32}",
                "A.yaml:15:5: error: add computes in int32, the dtype of 'ids', but the literal 2147483648 is outside int32's range",
                "A.yaml:16:5: error: pad: constant_values 0.5 is not an integer, and the input is int32 (TensorFlow cannot convert it)",
                "A.yaml:17:5: error: nn.max_pool2d takes float32, but 'img' is int32 (ModelSpec computes tf.nn.max_pool2d in float32 only); cast it first, such as cast: {input: img, dtype: float32}",
                "A.yaml:18:5: error: one_hot of dtype int32 takes an integer on_value, not 2.5 (TensorFlow: the dtype of on_value does not match dtype)",
            ])
    }

    /// A nested model's values and a template's have the dtypes their own steps give them (TensorFlow
    /// hands a nested layer's integer outputs on as they are), so a float operation on them is refused
    /// in the caller, and integer arithmetic on them is integer arithmetic.
    @Test func nestedModelsAndTemplatesKeepTheirValuesDtypes() throws {
        let picks = """
            spec: 1
            model: Picks
            inputs:
              x: [batch, 3]
            forward:
              - argmax: {input: x, axis: 1, output_type: int32}
                as: ids
              - cast: {input: x, dtype: int64}
                as: big
              - greater: [x, 0]
                as: positive
            outputs: [ids, big, positive]
            """
        let caller = """
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            layers:
              picks: Picks
              classify: {template: classify}
            templates:
              classify:
                args: {v: Tensor}
                do:
                  - argmax: {input: v, axis: 1}
            forward:
              - picks: x
                as: [ids, big, positive]
              - add: [ids, 1]
                as: next_ids
              - sqrt: next_ids
              - add: [big, x]
              - logical_not: positive
              - add: [positive, 1]
              - classify: x
                as: classes
              - add: [classes, 1.5]
              - exp: classes
            outputs: [next_ids]
            """
        #expect(try MalformedSpec.diagnostics(["A.yaml": caller, "Picks.yaml": picks]) == [
            "A.yaml:18:5: error: sqrt takes float32, but 'next_ids' is int32 (TensorFlow's tf.math.sqrt has no integer kernel); cast it first, such as cast: {input: next_ids, dtype: float32}",
            "A.yaml:19:5: error: add needs operands of one dtype, as TensorFlow does (it converts neither), but 'big' is int64 and 'x' is float32; cast one first, such as cast: {input: x, dtype: int64}",
            "A.yaml:21:5: error: add takes numbers, but 'positive' is bool; cast it first, such as cast: {input: positive, dtype: float32}",
            "A.yaml:24:5: error: add computes in int64, the dtype of 'classes', so the literal must be written as an integer, as TensorFlow refuses to convert a Python float to int64 (not 1.5); write an integer, or cast the operand to float32 first",
            "A.yaml:25:5: error: exp takes float32, but 'classes' is int64 (TensorFlow's tf.math.exp has no integer kernel); cast it first, such as cast: {input: classes, dtype: float32}",
        ])
        // Without the refused steps, the values are typed as the nested steps make them.
        let fine = caller.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !["sqrt: next_ids", "add: [big, x]", "add: [positive, 1]", "add: [classes, 1.5]", "exp: classes"].contains(String($0.trimmingCharacters(in: .whitespaces).dropFirst(2))) }
            .joined(separator: "\n")
        let checked = try MalformedSpec.check(["A.yaml": Array(fine.utf8), "Picks.yaml": Array(picks.utf8)])
        #expect(checked.lines.allSatisfy { !$0.contains("error") }, "\(checked.lines)")
        let model = try #require(checked.checked.model)
        #expect(model.outputTypes == [.int32])
        let types = Dictionary(model.body.flatMap { step in zip(step.results, step.types) }, uniquingKeysWith: { first, _ in first })
        #expect(types["ids"] == .int32 && types["big"] == .int64 && types["positive"] == .bool && types["classes"] == .int64)
        #expect(model.template(named: "classify")?.resultType == .int64)
    }

    /// A value carried through a loop or merged after a conditional keeps its dtype: a float operation on
    /// it is refused as on any integer value; a body that changes its dtype, or a branch that gives it
    /// another, is refused at that step (the generated Swift has one typed variable for it); and a
    /// template, whose body is checked with float32 arguments, refuses an integer argument.
    @Test func loopsAndConditionalsKeepTheirValuesDtypes() throws {
        #expect(try lines("""
            spec: 1
            model: A
            params:
              flag: {type: Bool, default: true}
            inputs:
              x: [batch, 3]
              ids: {shape: [batch], dtype: int32}
            layers:
              scale: {template: scale}
            templates:
              scale:
                args: {v: Tensor}
                do:
                  - multiply: [v, 2.0]
            forward:
              - argmax: {input: x, axis: 1, output_type: int32}
                as: best
              - repeat: 3
                do:
                  - add: [best, ids]
                    as: best
              - sqrt: best
              - repeat: 2
                do:
                  - cast: {input: ids, dtype: float32}
                    as: ids
              - if: $flag
                do:
                  - cast: {input: best, dtype: int64}
                    as: best
              - cast: {input: x, dtype: int32}
                if: $flag
              - scale: best
              - identity: x
            """) == [
                "A.yaml:22:5: error: sqrt takes float32, but 'best' is int32 (TensorFlow's tf.math.sqrt has no integer kernel); cast it first, such as cast: {input: best, dtype: float32}",
                "A.yaml:26:13: error: 'ids' enters the repeat at line 23 as int32, but this step makes it float32; a value carried through a loop keeps one dtype, so cast it back, such as cast: {input: ..., dtype: int32}, or bind the result to another name",
                "A.yaml:30:13: error: 'best' is int32 before the 'if' at line 27, but this step, run only when the flag holds, makes it int64; a value after a conditional has one dtype, so cast it, such as cast: {input: ..., dtype: int32}, or bind the result to another name",
                "A.yaml:31:5: error: cast with 'if' makes int32 when the flag holds, but its value otherwise is its first operand 'x', float32; a value after a conditional has one dtype, so cast it, such as cast: {input: ..., dtype: float32}, or bind the result to another name",
                "A.yaml:33:12: error: template 'scale' takes float32 Tensor arguments, but 'best' is int32; cast it first, such as cast: {input: best, dtype: float32}",
            ])
    }

    @Test func dtypesAnOperationDoesNotMakeAndConstantsThatDoNotFitTheirs() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 3]
            forward:
              - argmax: {input: x, output_type: float32}
              - constant: {value: [1, 2.5], dtype: int32}
              - constant: {value: 1, dtype: bool}
              - constant: {value: [true, 2]}
            """) == [
                "A.yaml:6:37: error: argmax takes output_type int64, int32, not float32",
                "A.yaml:7:5: error: constant of dtype int32 takes integers of int32's range, not 2.5",
                "A.yaml:8:5: error: constant of dtype bool takes true and false, not numbers",
                "A.yaml:9:30: error: value mixes true/false with numbers; write one or the other",
            ])
    }

    @Test func countsOfValuesThatCannotBeKnownOrDoNotFit() throws {
        #expect(try lines("""
            spec: 1
            model: A
            params:
              n: {type: Int, default: 2}
            inputs:
              x: [batch, 6, 3]
            forward:
              - unstack: {input: x, axis: 2}
              - split: {input: x, num_or_size_splits: $n}
              - split: {input: x, num_or_size_splits: 3, axis: 1}
                as: [a, b]
            """) == [
                "A.yaml:8:14: error: unstack makes one value for each entry of its axis; name them, as: [a, b, ...], or give num",
                "A.yaml:9:12: error: split by a $param count makes as many values as 'as:' names; name them, as: [a, b, ...]",
                "A.yaml:11:9: error: this step makes 3 values, but 'as' names 2",
            ])
        // Found when tracing shapes.
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 6, 3]
            forward:
              - unstack: {input: x, axis: 2}
                as: [u, v]
            outputs: [u, v]
            """) == ["A.yaml:6:5: error: unstack of [batch, 6, 3] on axis 2 makes 3 values, but 2 are named"])
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 6, 3]
            forward:
              - split: {input: x, num_or_size_splits: [2, 2], axis: 1}
                as: [c, d]
            outputs: [c, d]
            """) == ["A.yaml:6:5: error: split of [batch, 6, 3]: sizes [2, 2] do not add up to dimension 1 of size 6"])
    }

    @Test func slicesThatCannotBeReadOrDoNotFit() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 4]
            forward:
              - relu: x[1:2:3:4]
              - relu: x[::0]
              - relu: x[..., 1, ...]
              - relu: x[a]
              - relu: y[0]
            """) == [
                "A.yaml:6:11: error: '1:2:3:4' in 'x[1:2:3:4]' has more than start:stop:step",
                "A.yaml:7:11: error: '::0' in 'x[::0]' has step 0; a slice's step is not 0",
                "A.yaml:8:11: error: the index of 'x[..., 1, ...]' has more than one '...'",
                "A.yaml:9:11: error: 'a' in 'x[a]' is not an index: write a number, start:stop:step (each optional), '...', None or newaxis",
                "A.yaml:10:11: error: undefined value 'y'",
            ])
        // Found when tracing shapes, at the operand.
        for (slice, message) in [("x[:, 5]", "index 5 is outside dimension 1 of size 4"), ("x[0, 1, 2]", "3 indices for 2 dimensions")] {
            #expect(try lines("""
                spec: 1
                model: A
                inputs:
                  x: [batch, 4]
                forward:
                  - relu: \(slice)
                """) == ["A.yaml:6:11: error: strided_slice of [batch, 4]: \(message)"])
        }
    }

    @Test func groupsArePickedFromByAnIndexInRange() throws {
        #expect(try lines("""
            spec: 1
            model: A
            inputs:
              x: [batch, 6]
            forward:
              - split: {input: x, num_or_size_splits: 3, axis: 1}
                as: parts
              - relu: parts
              - relu: parts[3]
              - relu: parts[:1]
              - relu: parts[-1]
            """) == [
                "A.yaml:8:11: error: 'parts' is the 3 values of split; use one of them, such as parts[0]",
                "A.yaml:9:11: error: 'parts' holds 3 values; pick one with an index from 0 to 2 (or -3 to -1), such as parts[0]",
                "A.yaml:10:11: error: 'parts' holds 3 values; pick one with an index from 0 to 2 (or -3 to -1), such as parts[0]",
            ])
    }
}
