import Foundation

/// One cell of a CSV file with the place it came from (1-based line and column of its first character).
public struct CSVCell: Sendable, Equatable {
    public var text: String
    public var line: Int
    public var column: Int
}

/// A CSV file read per RFC 4180: comma separated, `"` quoting with `""` for a quote, LF, CRLF or CR line
/// ends, quoted fields may span lines. The first non-blank record is the header.
public struct CSVTable: Sendable {
    public struct Record: Sendable {
        public var line: Int
        public var cells: [CSVCell]
        /// A quoting problem was reported in this row: its fields may be split wrongly.
        public var damaged = false
    }

    public var file: String
    public var header: [CSVCell]
    public var records: [Record]
    /// A quoting problem was reported in the header: its column names may be split wrongly.
    public var headerDamaged = false

    /// Parses `text`; syntax problems are added to `log` and the parser recovers at the next line.
    public static func parse(_ text: String, file: String, log: inout DiagnosticLog) -> CSVTable {
        var rows: [Record] = []
        var cells: [CSVCell] = []
        // The field read so far, as scalars: appending to an array and making one String per field is several
        // times cheaper than growing a String scalar by scalar.
        var field: [Unicode.Scalar] = []
        field.reserveCapacity(64)
        var utf8: [UInt8] = []
        utf8.reserveCapacity(64)
        var fieldLine = 1, fieldColumn = 1
        var line = 1, column = 1
        var recordLine = 1
        var recordDamaged = false
        var inQuotes = false
        var quotedField = false
        var afterClosingQuote = false
        var scalars = Array(text.unicodeScalars)
        // A byte-order mark from Excel's "CSV UTF-8" export is not part of the first column name.
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        scalars = withLineFeeds(scalars)
        // Where the last quoted field opened. A quoted field may span lines, but one that does and then goes
        // wrong (text after its closing quote, no closing quote at all, or a column name with a line break in
        // it) was almost always opened by a stray quote: every line up to the next quote would be swallowed
        // and then blamed. The parser reports the quote once and reads on from just after it.
        struct QuoteStart { var index: Int; var line: Int; var column: Int; var cellCount: Int }
        var openQuote = QuoteStart(index: 0, line: 1, column: 1, cellCount: 0)
        var spanningQuote: QuoteStart? = nil  // the first in the current record
        var strayQuoteIndices: Set<Int> = []

        func endField() {
            var text = field[...]
            if !quotedField {
                while let first = text.first, isBlank(first) { text.removeFirst() }
                while let last = text.last, isBlank(last) { text.removeLast() }
            }
            // Through UTF-8 bytes: String(String.UnicodeScalarView(text)) appends scalar by scalar, generically,
            // at about 7,000 instructions a field.
            utf8.removeAll(keepingCapacity: true)
            for c in text {
                if c.value < 0x80 { utf8.append(UInt8(truncatingIfNeeded: c.value)) } else { UTF8.encode(c) { utf8.append($0) } }
            }
            cells.append(CSVCell(text: String(decoding: utf8, as: UTF8.self), line: fieldLine, column: fieldColumn))
            field.removeAll(keepingCapacity: true)
            quotedField = false
            afterClosingQuote = false
        }
        func endRecord() {
            endField()
            // A blank line, or a row of empty cells (`,,,`: a spreadsheet exports rows once touched that way).
            let blank = !recordDamaged && cells.allSatisfy { $0.text.isEmpty }
            if !blank { rows.append(Record(line: recordLine, cells: cells, damaged: recordDamaged)) }
            cells = []
            recordDamaged = false
            spanningQuote = nil
        }

        var i = 0
        var startOfField = true
        let columnNameSpansLines = "a column name in quotes runs on past the end of the header line; remove this stray quote (\")"
        /// Takes the quote that opened the current quoted field, which ran past its line, as a stray one.
        func readOnAfterStrayQuote(_ message: String, quote: QuoteStart) {
            log.add(file, quote.line, quote.column, message)
            strayQuoteIndices.insert(quote.index)
            i = quote.index
            line = quote.line; column = quote.column
            fieldLine = quote.line; fieldColumn = quote.column
            cells.removeLast(cells.count - quote.cellCount)
            spanningQuote = nil
            field.removeAll(keepingCapacity: true)
            inQuotes = false
            quotedField = false
            afterClosingQuote = false
            startOfField = false
            recordDamaged = true
        }
        // Read to the end; a stray quote found late sends the reading back to just after it.
        while true {
            while i < scalars.count {
                let c = scalars[i]
                if startOfField {
                    fieldLine = line; fieldColumn = column
                    if cells.isEmpty { recordLine = line }
                    startOfField = false
                }
                if inQuotes {
                    if c == "\"" {
                        if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                            field.append("\"")
                            i += 2; column += 2
                            continue
                        }
                        inQuotes = false
                        afterClosingQuote = true
                        i += 1; column += 1
                        continue
                    }
                    if c == "\n" && spanningQuote == nil { spanningQuote = openQuote }
                    field.append(c)
                    if c == "\n" { line += 1; column = 1 } else { column += 1 }
                    i += 1
                    continue
                }
                switch c {
                case ",":
                    endField()
                    startOfField = true
                    i += 1; column += 1
                case "\n":
                    if rows.isEmpty, let quote = spanningQuote {
                        readOnAfterStrayQuote(columnNameSpansLines, quote: quote)
                        continue
                    }
                    endRecord()
                    startOfField = true
                    i += 1; line += 1; column = 1
                case "\"":
                    if field.allSatisfy(isBlank) && !afterClosingQuote && !strayQuoteIndices.contains(i) {
                        field.removeAll(keepingCapacity: true)
                        inQuotes = true
                        quotedField = true
                        openQuote = QuoteStart(index: i, line: line, column: column, cellCount: cells.count)
                    } else {
                        // One quoting message per row: the first stray quote is the one to fix (a quote taken as
                        // stray after running past its line was reported, and its row marked, already).
                        if !recordDamaged {
                            log.add(file, line, column, "a quote (\") inside an unquoted field; put the whole field in quotes and double the inner quote (\"\")")
                        }
                        recordDamaged = true
                    }
                    i += 1; column += 1
                default:
                    if afterClosingQuote {
                        if c != " " && c != "\t" {
                            if openQuote.line < line {
                                readOnAfterStrayQuote("a quoted field opens here and runs on to line \(line); remove this stray quote (\"), or close the field on this line",
                                                      quote: openQuote)
                                continue
                            }
                            if !recordDamaged {
                                log.add(file, line, column, "unexpected text after a closing quote; a quoted field must end at a comma or line end")
                            }
                            recordDamaged = true
                            afterClosingQuote = false
                        }
                    } else {
                        field.append(c)
                    }
                    i += 1; column += 1
                }
            }
            if inQuotes && openQuote.line < line {
                readOnAfterStrayQuote("a quoted field is never closed; add the missing \" or remove this one", quote: openQuote)
                continue
            }
            if rows.isEmpty, let quote = spanningQuote {
                readOnAfterStrayQuote(columnNameSpansLines, quote: quote)
                continue
            }
            if inQuotes {
                log.add(file, fieldLine, fieldColumn, "a quoted field is never closed; add the missing \"")
                recordDamaged = true
            }
            if !startOfField || !cells.isEmpty { endRecord() }
            break
        }

        guard let first = rows.first else {
            return CSVTable(file: file, header: [], records: [])
        }
        var table = CSVTable(file: file, header: first.cells, records: Array(rows.dropFirst()))
        table.headerDamaged = first.damaged
        table.dropTrailingEmptyColumns()
        return table
    }
}

extension CSVTable {
    /// Spreadsheets also export columns once touched as empty cells after the last one: no name in the header
    /// and none in any row, each row padded to the header's width (`school,area,days,priority,,`). Such
    /// columns carry nothing and are dropped. A column with a value but no name is kept, to be reported; and
    /// only padding under an unnamed header cell goes, since a row with a comma too many and an empty last
    /// field (`A2,Bob,serving, head,...,`) must still be reported, not read shifted.
    mutating func dropTrailingEmptyColumns() {
        guard !headerDamaged else { return }
        let width = header.count
        var named = width
        while named > 1, header[named - 1].text.isEmpty { named -= 1 }
        guard named < width else { return }
        let padded = { (record: Record) in !record.damaged && record.cells.count <= width }
        guard !records.contains(where: { padded($0) && $0.cells.dropFirst(named).contains { !$0.text.isEmpty } }) else { return }
        header.removeLast(width - named)
        for k in records.indices where padded(records[k]) && records[k].cells.count > named {
            records[k].cells.removeLast(records[k].cells.count - named)
        }
    }
}

/// Reads CSV records by column name, recording a located diagnostic for every missing or bad value.
/// Loaders use it so that every table reports problems the same way.
public struct CSVReader {
    public let table: CSVTable
    private var index: [String: Int] = [:]
    public private(set) var usable = true
    /// Lines of rows already reported as malformed (wrong number of fields, or a quoting problem): their
    /// cells are not read, so one broken row gives one message rather than one per shifted field.
    private var malformedLines: Set<Int> = []

    /// `required` columns must all be present; `optional` may be; any other column is reported as unknown.
    public init(table: CSVTable, required: [String], optional: [String] = [], log: inout DiagnosticLog) {
        self.table = table
        if table.header.isEmpty {
            log.add(table.file, 1, 1, "the file is empty; expected a header row with columns \(required.joined(separator: ", "))")
            usable = false
            return
        }
        // The header's quoting problem was reported where the quote is; its column names may be split wrongly,
        // and naming each as missing or unknown would blame one line again and again.
        if table.headerDamaged {
            usable = false
            return
        }
        let known = required + optional
        // A header of one cell that splits into known names at tabs or semicolons: a file exported with another
        // separator (a spreadsheet's "Text (Tab delimited)", or a European locale's CSV).
        if table.header.count == 1 {
            for (separator, name) in [("\t", "tabs"), (";", "semicolons")] {
                let parts = table.header[0].text.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count > 1, parts.contains(where: known.contains) {
                    log.add(table.file, table.header[0].line, 1,
                            "the columns are separated by \(name), not commas; save the file as CSV (comma-separated)")
                    usable = false
                    return
                }
            }
        }
        // A first row with no known column name, nor one close to a known name, is data, not a header (the
        // header line was deleted): one message instead of a missing column for each name and an unknown
        // column for each value. Misspelled names still get their own "did you mean".
        func looksLikeAColumnName(_ text: String) -> Bool {
            if known.contains(text) { return true }
            // Short or letterless cells ("", "2", "210") are within a few edits of `id`, and a value such as
            // `maths` within three of `days`: only a near miss of a longer name is evidence.
            guard text.count >= 4, text.contains(where: \.isLetter), !text.contains(where: \.isNumber) else { return false }
            return closestMatch(to: text, in: known, maxDistance: 2) != nil
        }
        if !table.header.contains(where: { looksLikeAColumnName($0.text) }) {
            let found = table.header.prefix(3).map { "`\($0.text)`" }.joined(separator: ", ") + (table.header.count > 3 ? ", ..." : "")
            log.add(table.file, table.header[0].line, 1, "the first row (\(found)) is not a header; add a header row with columns \(required.joined(separator: ", "))")
            usable = false
            return
        }
        for (position, cell) in table.header.enumerated() {
            let name = cell.text
            if name.isEmpty {
                log.add(table.file, cell.line, cell.column,
                        "this column has no name in the header; name it (columns: \(known.joined(separator: ", "))) or delete it")
            } else if index[name] != nil {
                log.add(table.file, cell.line, cell.column, "column `\(name)` appears twice in the header")
            } else if known.contains(name) {
                index[name] = position
            } else {
                var message = "unknown column `\(name)`"
                if let hint = closestMatch(to: name, in: known) { message += "; did you mean `\(hint)`?" }
                else { message += "; expected columns: \(known.joined(separator: ", "))" }
                log.add(table.file, cell.line, cell.column, message)
            }
        }
        for name in required where index[name] == nil {
            log.add(table.file, table.header[0].line, 1, "missing column `\(name)` in the header")
            usable = false
        }
        let headerTexts = table.header.map(\.text)
        for record in table.records where record.cells.map(\.text) == headerTexts {
            log.add(table.file, record.line, 1, "the header row is repeated here; remove this line")
            malformedLines.insert(record.line)
        }
        for record in table.records where (record.cells.count != table.header.count || record.damaged) && !malformedLines.contains(record.line) {
            malformedLines.insert(record.line)
            // A row with a quoting problem was reported where the quote is; its count follows from it.
            guard record.cells.count != table.header.count, !record.damaged else { continue }
            let last = record.cells.last!
            log.add(table.file, record.line, last.column, "this row has \(record.cells.count) fields but the header has \(table.header.count); check for a missing or extra comma")
        }
    }

    public func has(_ column: String) -> Bool { index[column] != nil }

    /// The cell of `column` in `record`, or nil if the column is absent or the row is short.
    public func cell(_ record: CSVTable.Record, _ column: String) -> CSVCell? {
        guard let position = index[column], position < record.cells.count, !malformedLines.contains(record.line) else { return nil }
        return record.cells[position]
    }

    /// Location to blame when a row lacks a cell entirely.
    private func fallback(_ record: CSVTable.Record) -> CSVCell {
        CSVCell(text: "", line: record.line, column: record.cells.last.map { $0.column } ?? 1)
    }

    public func text(_ record: CSVTable.Record, _ column: String, required: Bool = true, log: inout DiagnosticLog) -> String? {
        guard let cell = cell(record, column) else {
            if required && has(column) && !malformedLines.contains(record.line) {
                let at = fallback(record)
                log.add(table.file, at.line, at.column, "`\(column)` is missing from this row")
            }
            return nil
        }
        if cell.text.isEmpty {
            if required { log.add(table.file, cell.line, cell.column, "`\(column)` is empty; a value is required") }
            return nil
        }
        return cell.text
    }

    public func number(_ record: CSVTable.Record, _ column: String, range: ClosedRange<Double>, required: Bool = true, log: inout DiagnosticLog) -> Double? {
        guard let text = text(record, column, required: required, log: &log), let cell = cell(record, column) else { return nil }
        guard let value = Double(text), value.isFinite else {
            log.add(table.file, cell.line, cell.column, "`\(column)` must be a number, found `\(text)`" + (plainNumber(text).map { "; write \($0)" } ?? ""))
            return nil
        }
        guard range.contains(value) else {
            log.add(table.file, cell.line, cell.column, "`\(column)` must be between \(formatNumber(range.lowerBound)) and \(formatNumber(range.upperBound)), found \(text)")
            return nil
        }
        return value
    }

    public func integer(_ record: CSVTable.Record, _ column: String, range: ClosedRange<Int>, required: Bool = true, log: inout DiagnosticLog) -> Int? {
        guard let text = text(record, column, required: required, log: &log), let cell = cell(record, column) else { return nil }
        guard let value = Int(text) else {
            log.add(table.file, cell.line, cell.column, "`\(column)` must be a whole number, found `\(text)`" + (plainNumber(text).map { "; write \($0)" } ?? ""))
            return nil
        }
        guard range.contains(value) else {
            log.add(table.file, cell.line, cell.column, "`\(column)` must be between \(range.lowerBound) and \(range.upperBound), found \(text)")
            return nil
        }
        return value
    }

    /// A date written YYYY-MM-DD; impossible dates (2026-02-30) and other spellings (11/05/2026) are reported.
    public func date(_ record: CSVTable.Record, _ column: String, required: Bool = true, log: inout DiagnosticLog) -> CivilDate? {
        guard let text = text(record, column, required: required, log: &log), let cell = cell(record, column) else { return nil }
        if let d = CivilDate(iso: text) { return d }
        let digits = text.split(separator: "-", omittingEmptySubsequences: false)
        if digits.count == 3, digits.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
           digits[0].count == 4, digits[1].count == 2, digits[2].count == 2 {
            log.add(table.file, cell.line, cell.column, "`\(column)` \(text) is not a real date")
            return nil
        }
        var message = "`\(column)` must be a date written YYYY-MM-DD, found `\(text)`"
        // A spreadsheet's UK date, day/month/year: say how to write it.
        if let date = CivilDate(spreadsheet: text) {
            message += "; write \(date)"
        } else if text.count > 10, let date = CivilDate(iso: String(text.prefix(10))),
                  let rest = text.dropFirst(10).first, rest == " " || rest == "T" {
            // A date with a time of day, as a spreadsheet writes a date cell (2026-01-05 00:00:00).
            message += "; write the date alone, \(date)"
        }
        log.add(table.file, cell.line, cell.column, message)
        return nil
    }
}

/// Space that a CSV cell is trimmed of, as Foundation's `CharacterSet.whitespaces` (spaces and tab), without its
/// cost: trimming through Foundation took 70% of reading a 22,000-school scenario's tables.
@inline(__always) func isBlank(_ c: Unicode.Scalar) -> Bool {
    c.value < 0x80 ? c == " " || c == "\t" : c.properties.generalCategory == .spaceSeparator
}

/// A number written as a spreadsheet shows it (`£750`, `1,500`, `40.5%`, `£250_000`) in plain figures (`750`),
/// to say how to write it; nil when it is plain already or is not a number that way either.
func plainNumber(_ text: String) -> String? {
    var plain = text.trimmingCharacters(in: .whitespaces)
    if plain.hasPrefix("£") { plain.removeFirst() }
    if plain.hasSuffix("%") { plain.removeLast() }
    plain = plain.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "").trimmingCharacters(in: .whitespaces)
    guard plain != text, let value = Double(plain), value.isFinite else { return nil }
    return plain
}

/// Line ends as LF: CRLF (Windows) and a lone CR (Excel for Mac's "CSV (Macintosh)", old Mac editors) are
/// read as one line end each, so line numbers in messages match what an editor shows.
func withLineFeeds(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    guard scalars.contains("\r") else { return scalars }
    var unified: [Unicode.Scalar] = []
    unified.reserveCapacity(scalars.count)
    for (k, c) in scalars.enumerated() where c != "\r" || k + 1 == scalars.count || scalars[k + 1] != "\n" {
        unified.append(c == "\r" ? "\n" : c)
    }
    return unified
}

/// Shortest decimal text for a number: 20 not 20.0, 2.5 as 2.5.
public func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return String(value)
}

extension Double {
    /// Rounded to `places` decimals, for figures shown to people.
    public func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
