import LocatedYAML
import TFNaming

extension ShapeTracer {
    /// A TF1 recurrent loop: its cells' variables in the loop's scope and each cell's
    /// own (``RNNCellShape/variables(inputSize:)``), the outputs and the final states.
    func recurrent(_ loop: RecurrentLoop, _ inputs: [TracedShape], _ instance: Instance, _ frame: Frame,
                   at location: SourceLocation) throws -> [TracedShape]? {
        let op = loop.function.rawValue
        let input = inputs[0]
        guard input.count == 3 else {
            throw ShapeMismatch(message: "\(op) needs a sequence of rank 3 (\(loop.timeMajor ? "[time, batch, features]" : "[batch, time, features]")), but got shape \(input.shapeDescription)")
        }
        guard let features = input[2].size else {
            throw ShapeMismatch(message: "\(op) needs the number of features (the last dimension of its input) to be known, but the input has shape \(input.shapeDescription)")
        }
        let batch = loop.timeMajor ? input[1] : input[0]
        var next = 1
        if loop.hasSequenceLength {
            let lengths = inputs[next]
            next += 1
            guard lengths.count == 1, compatible(lengths[0], batch) else {
                throw ShapeMismatch(message: "\(op)'s sequence_length must have shape [batch] (\(batch)), but has shape \(lengths.shapeDescription)")
            }
        }
        func cells(_ cell: RecurrentCellDeclaration, inputSize: Int) throws -> [RNNCellShape]? {
            switch cell {
            case .cell(let arguments):
                guard let units = evaluate(arguments.numUnits, frame, at: location) else { return nil }
                let numProj: Int?
                if let expr = arguments.numProj {
                    guard let value = evaluate(expr, frame, at: location) else { return nil }
                    numProj = value
                } else {
                    numProj = nil
                }
                if units <= 0 || (numProj ?? 1) <= 0 {
                    throw ShapeMismatch(message: "\(arguments.kind.rawValue)'s num_units and num_proj must be positive, not \(units) and \(numProj.map(String.init) ?? "none")")
                }
                let shape = RNNCellShape(kind: arguments.kind, units: units, usePeepholes: arguments.usePeepholes,
                                         numProj: arguments.kind == .lstm ? numProj : nil)
                inCellScope(shape.kind.baseName) {
                    for variable in shape.variables(inputSize: inputSize) {
                        let declaration = VariableDeclaration(name: .literal(variable.name), shape: [], dtype: .float32,
                                                              initializer: nil, regularizer: nil, trainable: true)
                        getVariable(variable.name, variable.shape, declaration, instance, at: location)
                    }
                }
                return [shape]
            case .dropout(let inner, let d):
                guard try checkDropoutWrapper(d, inputSize: inputSize, frame, at: location) else { return nil }
                return try cells(inner, inputSize: inputSize)
            case .device(let inner, _):
                return try cells(inner, inputSize: inputSize)
            case .residual(let inner):
                // The wrapped cell makes its variables before TensorFlow compares the sizes.
                guard let shapes = try cells(inner, inputSize: inputSize) else { return nil }
                let output = shapes.last!.outputSize
                if output != inputSize {
                    throw ShapeMismatch(message: "ResidualWrapper adds its cell's input (\(inputSize) features) to its output (\(output) features), which TensorFlow refuses (Shapes (batch, \(inputSize)) and (batch, \(output)) are incompatible): the wrapped cell needs num_units \(inputSize)")
                }
                return shapes
            case .multi(let list):
                return try inCellScope(RNNLoopNaming.multiCellBaseName) {
                    var made: [RNNCellShape] = []
                    for (index, inner) in list.enumerated() {
                        scopes.enter(RNNLoopNaming.multiCellScope(index))
                        defer { scopes.exit() }
                        guard let shapes = try cells(inner, inputSize: made.last?.outputSize ?? inputSize) else { return nil }
                        made += shapes
                    }
                    return made
                }
            }
        }
        var outputs: [TracedShape] = []
        var states: [TracedShape] = []
        let directions: [(RecurrentCellDeclaration, Int, String?)] = loop.backwardCell.map {
            [(loop.cell, loop.initialStateCount, RNNLoopNaming.forwardScope), ($0, loop.backwardInitialStateCount, RNNLoopNaming.backwardScope)]
        } ?? [(loop.cell, loop.initialStateCount, nil)]
        scopes.enter(loop.scope ?? (loop.backwardCell == nil ? RNNLoopNaming.loopScope : RNNLoopNaming.bidirectionalScope))
        defer { scopes.exit() }
        for (cell, stateCount, direction) in directions {
            if let direction { scopes.enter(direction) }
            defer { if direction != nil { scopes.exit() } }
            guard let shapes = try cells(cell, inputSize: features) else { return nil }
            let sizes = shapes.flatMap(\.stateSizes)
            for (index, size) in sizes.enumerated() where stateCount > 0 {
                let given = inputs[next + index]
                guard given.count == 2, compatible(given[0], batch), given[1].size == nil || given[1].size == size else {
                    throw ShapeMismatch(message: "\(op)'s initial state tensor \(index + 1) must have shape [\(batch), \(size)], but has shape \(given.shapeDescription)")
                }
            }
            next += stateCount
            let width = TracedDim.known(shapes.last!.outputSize)
            outputs.append([input[0], input[1], width])   // [batch, time, ...] or [time, batch, ...], as the input
            states += sizes.map { [batch, .known($0)] }
        }
        return outputs + states
    }

    /// A `DropoutWrapper`'s keep probabilities with the spec's parameters (each in (0, 1]), and with
    /// `variational_recurrent` and input dropout, its `input_size` (required by TensorFlow) against
    /// the input it wraps.
    private func checkDropoutWrapper(_ d: DropoutWrapperArguments, inputSize: Int, _ frame: Frame,
                                     at location: SourceLocation) throws -> Bool {
        var inputKeep = 1.0
        for (key, expr) in [("input_keep_prob", d.inputKeepProb), ("output_keep_prob", d.outputKeepProb),
                            ("state_keep_prob", d.stateKeepProb)] {
            let keep: Double
            do {
                keep = try expr.evaluated(frame.params)
            } catch {
                throw ShapeMismatch(message: "\(error)")
            }
            guard keep > 0, keep <= 1 else {
                throw ShapeMismatch(message: "DropoutWrapper's \(key) must be in (0, 1] (1 keeps everything), not \(keep)")
            }
            if key == "input_keep_prob" { inputKeep = keep }
        }
        guard d.variationalRecurrent, inputKeep < 1 else { return true }
        guard let expr = d.inputSize else {
            throw ShapeMismatch(message: "When variational_recurrent=True and input_keep_prob < 1.0 or is unknown, input_size must be provided (TensorFlow's DropoutWrapper refuses it without): add input_size: \(inputSize)")
        }
        guard let size = evaluate(expr, frame, at: location) else { return false }
        if size != inputSize {
            throw ShapeMismatch(message: "DropoutWrapper's input_size is \(size), but the input of the cell it wraps has \(inputSize) features (its variational input mask is [1, input_size])")
        }
        return true
    }

    /// Two sizes that may be equal: either unknown, or the same.
    func compatible(_ a: TracedDim, _ b: TracedDim) -> Bool {
        guard let x = a.size, let y = b.size else { return true }
        return x == y
    }

    /// A cell object's first call: `variable_scope(None, default_name: baseName)`.
    private func inCellScope<R>(_ baseName: String, _ body: () throws -> R) rethrows -> R {
        RNNLoopNaming.enterCell(baseName, &scopes)
        defer { scopes.exit() }
        return try body()
    }
}

extension ShapeTracer {
    /// A native layer's values: its output, then a Keras recurrent layer's state with
    /// `return_state`, after checking the initial state it is given (`[batch, units]` each).
    func recurrentResults(_ config: LayerConfig, output: TracedShape, inputs: [TracedShape], _ frame: Frame) throws -> [TracedShape] {
        let kind = config.kind
        guard kind.recurrentStates > 0 else { return [output] }
        guard let units = config.arguments["units"].flatMap({ try? $0.evaluated(frame.params) }),
              case let .int(size) = units else { return [output] }
        let state: TracedShape = [inputs[0][0], .known(size)]
        let given = inputs.dropFirst()
        guard given.isEmpty || given.count == kind.recurrentStates else {
            throw ShapeMismatch(message: "\(kind.className) takes its input and \(kind.recurrentStates == 1 ? "1 initial state tensor" : "\(kind.recurrentStates) initial state tensors (h, c)"), but \(inputs.count) values are given")
        }
        for (index, shape) in given.enumerated() {
            guard shape.count == 2, compatible(shape[0], state[0]), compatible(shape[1], state[1]) else {
                throw ShapeMismatch(message: "\(kind.className)'s initial state tensor \(index + 1) must have shape \(state.shapeDescription), but has shape \(shape.shapeDescription)")
            }
        }
        return [output] + (config.returnsState ? Array(repeating: state, count: kind.recurrentStates) : [])
    }
}
