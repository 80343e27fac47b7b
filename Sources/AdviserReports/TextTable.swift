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

    /// Columns whose cells, in a table fitted to a width, wrap onto further lines instead of being cut:
    /// lists and explanations, which lose nothing that way. They are shown whole (at most their
    /// `maxWidths` a line) and give way first, down to `narrowestWrapped` characters.
    public var wrapping: Set<Int> = []

    /// Narrowest a text column is cut to when fitting a width: 8 characters, or its header's longest word.
    static let narrowestColumn = 8
    /// Narrowest a wrapping column gives way to before other columns are cut.
    static let narrowestWrapped = 20

    /// - Parameter width: characters each row must fit, indent included (`fitWidth` unless given).
    public func render(indent: String = "", width: Int? = TextTable.fitWidth) -> String {
        let wraps = width == nil ? [] : wrapping
        // A wrapping column's cell stays whole, to be wrapped at the column's width; any other is cut.
        let cells = rows.map { row in row.enumerated().map { i, cell in wraps.contains(i) ? cell : TextTable.truncate(cell, to: maxWidths[i]) } }
        var content = headers.map { _ in 0 }
        for row in cells {
            for (i, cell) in row.enumerated() { content[i] = max(content[i], wraps.contains(i) ? min(cell.count, maxWidths[i] ?? .max) : cell.count) }
        }
        var widths = zip(headers, content).map { max($0.count, $1) }
        if let limit = width { widths = narrowed(widths, content: content, to: limit - indent.count, wrapping: wraps) }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, cell -> String in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return alignments[i] == .left ? cell + pad : pad + cell
            }
            var text = indent + padded.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        // A fitted table's headers wrap at spaces ("lead" over "before"), so that they do not hold a column wide.
        let headerParts = headers.enumerated().map { i, header in width == nil ? [header] : TextTable.wrap(header, to: widths[i]) }
        var out = (0..<(headerParts.map(\.count).max() ?? 1)).map { k in line(headerParts.map { k < $0.count ? $0[k] : "" }) }
        out.append(indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for row in cells {
            let parts = row.enumerated().map { i, cell in
                wraps.contains(i) ? TextTable.wrap(cell, to: widths[i]) : [TextTable.truncate(cell, to: widths[i])]
            }
            for k in 0..<(parts.map(\.count).max() ?? 1) { out.append(line(parts.map { k < $0.count ? $0[k] : "" })) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Column widths whose row fits `limit` characters, taken a character at a time from the widest column
    /// allowed, the rightmost of equals: first wrapping columns (down to `narrowestWrapped`), then the other
    /// text (left-aligned) columns, then wrapping columns again; never below a header's longest word, nor
    /// below `narrowestColumn` where a cell is wider, and numbers are never cut. As narrow as the columns
    /// allow when they cannot fit.
    func narrowed(_ natural: [Int], content: [Int], to limit: Int, wrapping wraps: Set<Int> = []) -> [Int] {
        var widths = natural
        let words = headers.map { $0.split(separator: " ").map(\.count).max() ?? 0 }
        func floor(_ i: Int, _ narrowest: Int) -> Int { min(natural[i], max(words[i], min(content[i], narrowest))) }
        func widest(_ allowed: (Int) -> Bool) -> Int? {
            var widest: Int? = nil
            for i in widths.indices where allowed(i) && (widest == nil || widths[i] >= widths[widest!]) { widest = i }
            return widest
        }
        var excess = widths.reduce(0, +) + 2 * max(0, widths.count - 1) - limit
        while excess > 0 {
            guard let i = widest({ wraps.contains($0) && widths[$0] > floor($0, TextTable.narrowestWrapped) })
                ?? widest({ !wraps.contains($0) && alignments[$0] == .left && widths[$0] > floor($0, TextTable.narrowestColumn) })
                ?? widest({ wraps.contains($0) && widths[$0] > floor($0, TextTable.narrowestColumn) }) else { break }
            widths[i] -= 1
            excess -= 1
        }
        return widths
    }

    /// `text` in lines of at most `width` characters, broken at spaces (a longer word is split).
    public static func wrap(_ text: String, to width: Int) -> [String] {
        guard text.count > width, width > 0 else { return [text] }
        var lines: [String] = [], current = ""
        for piece in text.split(separator: " ") {
            var word = String(piece)
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty { current = word } else if current.count + 1 + word.count <= width { current += " " + word } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// Lines of prose fitted to `width` (the terminal's, when standard output is one): a longer line breaks at
    /// spaces and goes on indented by two, so a summary is read whole instead of running past the edge.
    /// Without a width the text is returned as it is, so files and pipes keep their bytes. For prose only:
    /// a broken line's runs of spaces close up, so tables fit themselves with `render(width:)`.
    public static func fitProse(_ text: String, width: Int? = TextTable.fitWidth) -> String {
        guard let width, width > 10 else { return text }
        let endsWithNewline = text.hasSuffix("\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(endsWithNewline ? 1 : 0)
        var out: [String] = []
        for line in lines.map(String.init) {
            guard line.count > width else { out.append(line); continue }
            let lead = String(line.prefix { $0 == " " })
            let first = wrap(String(line.dropFirst(lead.count)), to: width - lead.count)
            let rest = first.count > 1 ? wrap(first.dropFirst().joined(separator: " "), to: width - lead.count - 2) : []
            out.append(lead + first[0])
            out += rest.map { lead + "  " + $0 }
        }
        return out.joined(separator: "\n") + (endsWithNewline ? "\n" : "")
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

    /// A rough time still to go, for a progress line: "about 40 s", "about 7 min", "about 3 h 20 min".
    /// Rounded to what an estimate from the steps so far can claim (10 s to just under two minutes, then whole
    /// minutes, then ten minutes from two hours).
    public static func timeLeft(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "unknown" }
        if seconds >= 360_000 { return "more than 100 h" }
        if seconds < 10 { return "a few seconds" }
        if seconds < 115 { return "about \(Int((seconds / 10).rounded()) * 10) s" }
        let minutes = Int((seconds / 60).rounded())
        if minutes < 120 { return "about \(minutes) min" }
        let tens = Int((seconds / 600).rounded())
        return "about \(tens / 6) h" + (tens % 6 == 0 ? "" : " \(tens % 6 * 10) min")
    }

    /// No programme has such a figure, but a damaged file can: print it rather than trap converting it to Int.
    static func outOfRange(_ x: Double) -> String { x.isNaN ? "?" : String(format: "%.3g", x) }
}
