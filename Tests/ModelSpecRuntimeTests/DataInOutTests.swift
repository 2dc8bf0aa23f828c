import Foundation
import Testing
import ModelSpecRuntime

/// What a user needs around a model: a batch out of a data set (`slice`), the
/// predicted class of each row (`argmax`), and the check of a call's inputs
/// against their declared shapes (`checkInputShapes`).
@Suite struct DataInOutTests {
    // MARK: slice

    @Test func sliceOfTheBatch() throws {
        let x = try Tensor(shape: [4, 2, 3], scalars: (0..<24).map(Float.init))
        let batch = try slice(x, 1..<3)
        #expect(batch.shape == [2, 2, 3])
        #expect(batch.scalars == (6..<18).map(Float.init))
        #expect(try slice(x, 4..<4).shape == [0, 2, 3])
    }

    @Test func sliceAlongAnotherAxis() throws {
        let x = try Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
        let middle = try slice(x, 1..<2, axis: 1)
        #expect(middle.shape == [2, 1, 2])
        #expect(middle.scalars == [2, 3, 8, 9])
        #expect(try slice(x, 0..<1, axis: -1).scalars == [0, 2, 4, 6, 8, 10])
    }

    @Test func sliceOfIndices() throws {
        let labels = try IndexTensor(shape: [5], scalars: [3, 1, 4, 1, 5])
        #expect(try slice(labels, 2..<5) == IndexTensor([4, 1, 5]))
    }

    @Test func sliceOutsideTheAxisIsAnError() throws {
        let x = try Tensor.zeros([4, 2])
        #expect(throws: TensorError(op: "slice", shapes: [[4, 2]], reason: "has no entries 3..<6 on axis 0 (size 4)")) {
            try slice(x, 3..<6)
        }
        #expect(throws: TensorError(op: "slice", shapes: [[4, 2]], reason: "has no axis 2 (rank 2)")) {
            try slice(x, 0..<1, axis: 2)
        }
    }

    // MARK: argmax

    @Test func argmaxOfEachRow() throws {
        let logits = try Tensor(shape: [3, 4], scalars: [
            0.1, 2.0, -1, 0.5,
            -3, -2, -1, -4,
            7, 7, 1, 0,  // a tie: the first
        ])
        let classes = try argmax(logits)
        #expect(classes.shape == [3])
        #expect(classes.scalars == [1, 2, 0])
        #expect(try argmax(logits, axis: 0).scalars == [2, 2, 2, 0])
    }

    @Test func argmaxTreatsNaNAsTheLargest() throws {
        let x = try Tensor(shape: [1, 3], scalars: [1, .nan, 3])
        #expect(try argmax(x).scalars == [1])
    }

    @Test func argmaxOfAnEmptyAxisIsAnError() throws {
        #expect(throws: TensorError.self) { try argmax(try Tensor.zeros([2, 0])) }
        #expect(throws: TensorError.self) { try argmax(Tensor(1)) }
    }

    // MARK: checkInputShapes

    @Test func fittingInputsGiveTheirSymbols() throws {
        let symbols = try checkInputShapes(
            of: "Attention",
            ("query", [2, 16], [.symbol("batch"), 16]),
            ("values", [2, 10, 16], [.symbol("batch"), .symbol("max_len"), .any]))
        #expect(symbols == ["batch": 2, "max_len": 10])
    }

    @Test func wrongRankOrSizeNamesTheInput() throws {
        do {
            try checkInputShapes(of: "Encoder", ("x", [2, 4, 1], [.symbol("batch"), 4]))
            Issue.record("no error")
        } catch {
            #expect("\(error)" == "Encoder: input 'x' needs shape [batch, 4], but a tensor of shape [2, 4, 1] is given")
        }
        do {
            try checkInputShapes(of: "Encoder", ("x", [2, 3], [.symbol("batch"), 4]))
            Issue.record("no error")
        } catch {
            #expect("\(error)" == "Encoder: input 'x' needs shape [batch, 4], but a tensor of shape [2, 3] is given")
        }
    }

    @Test func oneSizePerSymbol() throws {
        do {
            try checkInputShapes(
                of: "Attention",
                ("query", [2, 16], [.symbol("batch"), 16]),
                ("values", [3, 10, 16], [.symbol("batch"), .symbol("max_len"), 16]))
            Issue.record("no error")
        } catch {
            #expect("\(error)" == "Attention: symbol 'batch' is 2 in input 'query' but 3 in input 'values' (shape [3, 10, 16]); a symbol has one size in a call")
        }
        do {
            try checkInputShapes(of: "Square", ("m", [3, 4], [.symbol("n"), .symbol("n")]))
            Issue.record("no error")
        } catch {
            #expect("\(error)" == "Square: symbol 'n' is 3 in input 'm' but 4 in input 'm' (shape [3, 4]); a symbol has one size in a call")
        }
    }
}
