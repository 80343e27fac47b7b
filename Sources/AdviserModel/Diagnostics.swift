import Foundation

/// One problem found in a scenario file, located so a programme manager can open the file and fix it.
public struct Diagnostic: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }

    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        (a.file, a.line, a.column, a.message) < (b.file, b.line, b.column, b.message)
    }
}

/// Line and column (both from 1, columns in characters) of the byte at `offset` in UTF-8 text: for readers
/// that scan bytes and need a place only when they report a problem.
public func lineAndColumn<Bytes: Collection>(ofByte offset: Int, in text: Bytes) -> (line: Int, column: Int) where Bytes.Element == UInt8 {
    var line = 1, column = 1
    for byte in text.prefix(offset) {
        if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
    }
    return (line, column)
}

/// Why a scenario could not be loaded. Every case carries messages a user can act on.
public enum ScenarioError: Error, Equatable, CustomStringConvertible {
    /// The files were read but hold problems; every one found is listed, in file order.
    case invalid([Diagnostic])

    public var diagnostics: [Diagnostic] {
        switch self {
        case .invalid(let list): return list
        }
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// Collects diagnostics while a scenario is read, so that validation reports every problem, not only the first.
public struct DiagnosticLog: Sendable {
    public private(set) var entries: [Diagnostic] = []
    public init() {}

    public mutating func add(_ file: String, _ line: Int, _ column: Int, _ message: String) {
        entries.append(Diagnostic(file: file, line: line, column: column, message: message))
    }

    public mutating func add(_ diagnostic: Diagnostic) { entries.append(diagnostic) }

    public var isEmpty: Bool { entries.isEmpty }

    /// Sorted by file, line and column so output is stable whatever order checks ran in.
    public var sorted: [Diagnostic] { entries.sorted() }
}

/// The closest candidate to a misspelt word, for "did you mean" hints (Levenshtein distance).
public func closestMatch(to word: String, in candidates: [String], maxDistance: Int = 3) -> String? {
    var best: (String, Int)?
    for candidate in candidates.sorted() {
        let d = editDistance(word.lowercased(), candidate.lowercased())
        if d <= maxDistance, best == nil || d < best!.1 { best = (candidate, d) }
    }
    return best?.0
}

func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}
