/// A plain-text table that fits a terminal: columns padded to their widest cell, long cells cut with "…".
public struct TextTable {
    public enum Alignment { case left, right }
    public var headers: [String]
    public var alignments: [Alignment]
    public var maxWidths: [Int?]
    public private(set) var rows: [[String]] = []

    public init(headers: [String], alignments: [Alignment]? = nil, maxWidths: [Int?]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.map { _ in .left }
        self.maxWidths = maxWidths ?? headers.map { _ in nil }
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// Characters every table is narrowed to, or nil to keep each as wide as its cells. The command line
    /// sets it to the terminal's width when standard output is one; files and pipes keep full rows, so
    /// the same input gives the same bytes on every machine.
    nonisolated(unsafe) public static var fitWidth: Int? = nil

    /// Narrowest a text column is cut to when fitting a width: its header, or 8 characters.
    static let narrowestColumn = 8

    /// - Parameter width: characters each row must fit, indent included (`fitWidth` unless given).
    public func render(indent: String = "", width: Int? = TextTable.fitWidth) -> String {
        var cut = rows.map { row in row.enumerated().map { i, cell in TextTable.truncate(cell, to: maxWidths[i]) } }
        var widths = headers.map(\.count)
        for row in cut { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        if let limit = width {
            let fitted = narrowed(widths, to: limit - indent.count)
            if fitted != widths {
                widths = fitted
                cut = cut.map { row in row.enumerated().map { i, cell in TextTable.truncate(cell, to: widths[i]) } }
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell -> String in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return alignments[i] == .left ? cell + pad : pad + cell
            }
            var text = indent + padded.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = [line(headers), indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += cut.map(line)
        return out.joined(separator: "\n") + "\n"
    }

    /// Column widths whose row fits `limit` characters, taken a character at a time from the widest text
    /// (left-aligned) column, the rightmost of equals; numbers are never cut. As narrow as the columns allow
    /// when they cannot fit.
    func narrowed(_ natural: [Int], to limit: Int) -> [Int] {
        var widths = natural
        let floors = natural.indices.map { min(natural[$0], max(headers[$0].count, TextTable.narrowestColumn)) }
        var excess = widths.reduce(0, +) + 2 * max(0, widths.count - 1) - limit
        while excess > 0 {
            var widest: Int? = nil
            for i in widths.indices where alignments[i] == .left && widths[i] > floors[i] {
                if widest == nil || widths[i] >= widths[widest!] { widest = i }
            }
            guard let i = widest else { break }
            widths[i] -= 1
            excess -= 1
        }
        return widths
    }

    static func truncate(_ text: String, to width: Int?) -> String {
        guard let width, text.count > width else { return text }
        var kept = String(text.prefix(width - 1))
        while kept.hasSuffix(" ") || kept.hasSuffix(",") { kept.removeLast() }
        return kept + "…"
    }
}

/// Numbers as a programme manager reads them: 12,345 and 2.5, never 2.5000000001.
public enum Figures {
    public static func days(_ x: Double) -> String {
        guard abs(x) < 1e15 else { return outOfRange(x) }
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    public static func grouped(_ x: Double) -> String {
        guard abs(x) < 1e15 else { return outOfRange(x) }
        let n = Int(x.rounded())
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    public static func pounds(_ x: Double) -> String { "£" + grouped(x) }

    public static func percent(_ fraction: Double) -> String {
        let p = fraction * 100
        guard abs(p) < 1e15 else { return outOfRange(p) + "%" }
        return p >= 10 || p == 0 ? "\(Int(p.rounded()))%" : String(format: "%.2f%%", p)
    }

    public static func objective(_ x: Double) -> String { String(format: "%.2f", x) }

    /// No programme has such a figure, but a damaged file can: print it rather than trap converting it to Int.
    static func outOfRange(_ x: Double) -> String { x.isNaN ? "?" : String(format: "%.3g", x) }
}
