import Testing
@testable import AdviserModel

@Suite struct CSVTests {
    @Test func quotedFieldsKeepCommasQuotesAndNewlines() {
        var log = DiagnosticLog()
        let text = "id,name\r\n1,\"Smith, Jones \"\"Senior\"\"\"\r\n2,\"two\nlines\"\n"
        let table = CSVTable.parse(text, file: "t.csv", log: &log)
        #expect(log.isEmpty)
        #expect(table.header.map(\.text) == ["id", "name"])
        #expect(table.records.map { $0.cells.map(\.text) } == [["1", "Smith, Jones \"Senior\""], ["2", "two\nlines"]])
        #expect(table.records.map(\.line) == [2, 3])
    }

    @Test func everyKindOfLineEndIsALineEnd() {
        // LF, CRLF (Windows) and a lone CR (Excel for Mac's "CSV (Macintosh)"), mixed, also inside quotes.
        var log = DiagnosticLog()
        let table = CSVTable.parse("id,name\r1,Ann\r\n2,\"B\rC\"\n3,Cy\r", file: "t.csv", log: &log)
        #expect(log.isEmpty)
        #expect(table.header.map(\.text) == ["id", "name"])
        #expect(table.records.map { $0.cells.map(\.text) } == [["1", "Ann"], ["2", "B\nC"], ["3", "Cy"]])
        #expect(table.records.map(\.line) == [2, 3, 5])
        #expect(table.records[2].cells.map(\.column) == [1, 3])
    }

    @Test func spreadsheetsEmptyRowsAndColumnsAreDropped() {
        // Excel exports rows and columns once touched as empty cells: rows of commas, and commas after the
        // last named column, in the header and in every row.
        var log = DiagnosticLog()
        let table = CSVTable.parse("id,name,,\n1,Ann,,\n,,,\n,\n2,Bob,\n3,Cy\n", file: "t.csv", log: &log)
        #expect(log.isEmpty)
        #expect(table.header.map(\.text) == ["id", "name"])
        #expect(table.records.map { $0.cells.map(\.text) } == [["1", "Ann"], ["2", "Bob"], ["3", "Cy"]])
        #expect(table.records.map(\.line) == [2, 5, 6])
        var readerLog = DiagnosticLog()
        _ = CSVReader(table: table, required: ["id", "name"], log: &readerLog)
        #expect(readerLog.isEmpty)
        // Under a header without padding, a row's extra comma may be a shifted field: it is kept, to be reported.
        let extraComma = CSVTable.parse("id,name\n1,Ann,\n", file: "t.csv", log: &log)
        #expect(extraComma.records.map { $0.cells.map(\.text) } == [["1", "Ann", ""]])
        // So is a row wider than the padded header.
        let wider = CSVTable.parse("id,name,\n1,Ann,,\n", file: "t.csv", log: &log)
        #expect(wider.header.map(\.text) == ["id", "name"])
        #expect(wider.records.map { $0.cells.count } == [4])
        // An unnamed column with a value in it is kept, and reported as a column to name or delete.
        let unnamed = CSVTable.parse("id,name,\n1,Ann,x\n", file: "t.csv", log: &log)
        #expect(unnamed.header.count == 3)
        _ = CSVReader(table: unnamed, required: ["id", "name"], log: &readerLog)
        #expect(readerLog.entries.map(\.description) == [
            "t.csv:1:9: this column has no name in the header; name it (columns: id, name) or delete it",
        ])
    }

    @Test func cellsKnowTheirLineAndColumn() {
        var log = DiagnosticLog()
        let table = CSVTable.parse("a,b,c\nx, yy ,zzz\n", file: "t.csv", log: &log)
        let cells = table.records[0].cells
        #expect(cells.map(\.column) == [1, 3, 8])
        #expect(cells[1].text == "yy")
    }

    @Test func byteOrderMarkAndBlankLinesAreIgnored() {
        var log = DiagnosticLog()
        let table = CSVTable.parse("\u{FEFF}id\n\n7\n\n", file: "t.csv", log: &log)
        #expect(table.header.map(\.text) == ["id"])
        #expect(table.records.count == 1)
    }

    @Test func unclosedQuoteIsReportedWhereItOpens() {
        var log = DiagnosticLog()
        let table = CSVTable.parse("id,name\n1,\"open\n2,x\n", file: "t.csv", log: &log)
        #expect(log.entries.map(\.description) == ["t.csv:2:3: a quoted field is never closed; add the missing \" or remove this one"])
        // The lines after the stray quote are read as they are, and its own row is marked.
        #expect(table.records.map { $0.cells.map(\.text) } == [["1", "open"], ["2", "x"]])
        #expect(table.records.map(\.damaged) == [true, false])
        var lastLine = DiagnosticLog()
        _ = CSVTable.parse("id,name\n1,\"open", file: "t.csv", log: &lastLine)
        #expect(lastLine.entries.map(\.description) == ["t.csv:2:3: a quoted field is never closed; add the missing \""])
    }

    @Test func aQuoteThatRunsOnToTheNextQuoteIsReportedOnce() {
        // The quote on line 2 would close at line 3's opening quote, with `head` after it.
        var log = DiagnosticLog()
        let table = CSVTable.parse("id,name,role\n1,\"Ann,x\n2,Bob,\"head, primary\"\n3,Cy,z\n", file: "t.csv", log: &log)
        #expect(log.entries.map(\.description) == [
            "t.csv:2:3: a quoted field opens here and runs on to line 3; remove this stray quote (\"), or close the field on this line",
        ])
        #expect(table.records.map { $0.cells.map(\.text) } == [["1", "Ann", "x"], ["2", "Bob", "head, primary"], ["3", "Cy", "z"]])
        #expect(table.records.map(\.line) == [2, 3, 4])
        #expect(table.records.map(\.damaged) == [true, false, false])
        #expect(table.records[0].cells.map(\.column) == [1, 3, 8])
        #expect(!table.headerDamaged)
    }

    @Test func aColumnNameRunningPastTheHeaderLineIsAStrayQuote() {
        // Closed on the next line and followed by a comma: still not a header anyone writes.
        var log = DiagnosticLog()
        let table = CSVTable.parse("id,\"name\n1,Ann\",x\n2,Bob\n", file: "t.csv", log: &log)
        #expect(log.entries.map(\.description) == [
            "t.csv:1:4: a column name in quotes runs on past the end of the header line; remove this stray quote (\")",
            "t.csv:2:6: a quote (\") inside an unquoted field; put the whole field in quotes and double the inner quote (\"\")",
        ])
        #expect(table.header.map(\.text) == ["id", "name"])
        #expect(table.headerDamaged)
        #expect(table.records.map { $0.cells.map(\.text) } == [["1", "Ann", "x"], ["2", "Bob"]])
        var readerLog = DiagnosticLog()
        let reader = CSVReader(table: table, required: ["id", "name"], log: &readerLog)
        #expect(!reader.usable)
        #expect(readerLog.isEmpty)
    }

    @Test func strayQuoteInsideAFieldIsReported() {
        var log = DiagnosticLog()
        _ = CSVTable.parse("id,name\n1,St \"Mary\n", file: "t.csv", log: &log)
        #expect(log.entries.count == 1)
        #expect(log.entries[0].line == 2 && log.entries[0].column == 6)
    }

    @Test func numbersWrittenAsASpreadsheetShowsThemAreToldThePlainForm() {
        var log = DiagnosticLog()
        let table = CSVTable.parse("rate,pct,days\n£750,40.5%,\"1,500\"\nabc,4 0,2.5\n", file: "t.csv", log: &log)
        let reader = CSVReader(table: table, required: ["rate", "pct", "days"], log: &log)
        for record in table.records {
            _ = reader.number(record, "rate", range: 0...5000, log: &log)
            _ = reader.number(record, "pct", range: 0...100, log: &log)
            _ = reader.integer(record, "days", range: 0...5000, log: &log)
        }
        #expect(log.sorted.map(\.description) == [
            "t.csv:2:1: `rate` must be a number, found `£750`; write 750",
            "t.csv:2:6: `pct` must be a number, found `40.5%`; write 40.5",
            "t.csv:2:12: `days` must be a whole number, found `1,500`; write 1500",
            "t.csv:3:1: `rate` must be a number, found `abc`",
            "t.csv:3:5: `pct` must be a number, found `4 0`",
            "t.csv:3:9: `days` must be a whole number, found `2.5`",
        ])
    }

    @Test func readerReportsMissingUnknownAndDuplicateColumns() {
        var log = DiagnosticLog()
        let table = CSVTable.parse("id,nmae,id\n1,a,1\n", file: "t.csv", log: &log)
        let reader = CSVReader(table: table, required: ["id", "name"], log: &log)
        #expect(!reader.usable)
        let messages = log.sorted.map(\.description)
        #expect(messages.contains("t.csv:1:4: unknown column `nmae`; did you mean `name`?"))
        #expect(messages.contains("t.csv:1:9: column `id` appears twice in the header"))
        #expect(messages.contains("t.csv:1:1: missing column `name` in the header"))
    }
}

@Suite struct TOMLTests {
    @Test func aTOMLFileWithCarriageReturnsOnlyIsReadLineByLine() {
        var log = DiagnosticLog()
        let doc = TOMLDocument.parse("# a comment\r[programme]\rname = \"x\"\r\nbudget = 5\r", file: "s.toml", log: &log)
        #expect(log.isEmpty)
        guard case .table(let programme)? = doc.root["programme"]?.value else { Issue.record("no programme table"); return }
        #expect(programme["name"]?.line == 3 && programme["budget"]?.line == 4)
    }

    @Test func readsTablesValuesAndPositions() throws {
        var log = DiagnosticLog()
        let doc = TOMLDocument.parse("""
        # a comment
        [programme]
        name = "Knowsley \\"Pathways\\""  # trailing comment
        start = 2026-01-05
        budget = 250_000
        ratio = 1.5e0
        [rules]
        require_lead = true
        areas = ["literacy",
                 "maths", ]   # multi-line list
        point = { x = 1, y = -2 }
        """, file: "s.toml", log: &log)
        #expect(log.isEmpty)
        guard case .table(let programme)? = doc.root["programme"]?.value else { Issue.record("no programme table"); return }
        guard case .string(let name)? = programme["name"]?.value else { Issue.record("no name"); return }
        #expect(name == "Knowsley \"Pathways\"")
        guard case .date(let start)? = programme["start"]?.value else { Issue.record("no date"); return }
        #expect(start == CivilDate(year: 2026, month: 1, day: 5))
        guard case .integer(let budget)? = programme["budget"]?.value else { Issue.record("no budget"); return }
        #expect(budget == 250_000)
        #expect(programme["start"]?.line == 4 && programme["start"]?.column == 9)
        guard case .table(let rules)? = doc.root["rules"]?.value, case .array(let areas)? = rules["areas"]?.value else {
            Issue.record("no areas"); return
        }
        #expect(areas.count == 2)
    }

    @Test func impossibleDateIsAnError() {
        var log = DiagnosticLog()
        _ = TOMLDocument.parse("[programme]\nstart = 2026-02-30\n", file: "s.toml", log: &log)
        #expect(log.entries.map(\.description) == ["s.toml:2:9: `2026-02-30` is not a real date (YYYY-MM-DD)"])
    }

    @Test func duplicateKeysAndTablesAreErrors() {
        var log = DiagnosticLog()
        _ = TOMLDocument.parse("[a]\nx = 1\nx = 2\n[a]\n", file: "s.toml", log: &log)
        #expect(log.entries.map(\.description) == [
            "s.toml:3:1: the key `x` is set twice in this table",
            "s.toml:4:1: table [a] is defined twice",
        ])
    }

    @Test func datesAndAmountsTypedAsInASpreadsheetGetTheRightSpelling() {
        var log = DiagnosticLog()
        _ = TOMLDocument.parse("""
        start = 05/01/2026
        end = 31/02/2026
        begin = 2026-1-5
        finish = 2026-2-30
        budget = £250,000
        cost = £1_500.50
        total = 250,000
        """, file: "s.toml", log: &log)
        #expect(log.entries.map(\.description) == [
            "s.toml:1:9: `05/01/2026`: write a date as YYYY-MM-DD, without quotes: 2026-01-05",
            "s.toml:2:7: `31/02/2026` is not a date this file can read; write dates as YYYY-MM-DD, e.g. 2026-01-05",
            "s.toml:3:9: `2026-1-5`: write a date with a two-digit month and day: 2026-01-05",
            "s.toml:4:10: `2026-2-30` is not a real date (YYYY-MM-DD)",
            "s.toml:5:10: `£250,000`: write an amount as a plain number, without £ or commas: 250000",
            "s.toml:6:8: `£1_500.50`: write an amount as a plain number, without £ or commas: 1500.50",
            "s.toml:7:12: unexpected `,` in a number; write numbers without commas, e.g. 250000 or 250_000",
        ])
    }

    @Test func unquotedTextAndUnclosedStringsAreExplained() {
        var log = DiagnosticLog()
        _ = TOMLDocument.parse("a = hello\nb = \"open\n", file: "s.toml", log: &log)
        #expect(log.entries.map(\.description) == [
            "s.toml:1:5: `hello` is not a value; text must be in double quotes, e.g. \"hello\"",
            "s.toml:2:5: this string is never closed; add the closing \"",
        ])
    }

    @Test func arraysOfTablesAppendElements() {
        var log = DiagnosticLog()
        let doc = TOMLDocument.parse("[[terms]]\nname = \"Autumn\"\n[[terms]]\nname = \"Spring\"\n", file: "s.toml", log: &log)
        #expect(log.isEmpty)
        guard case .array(let terms)? = doc.root["terms"]?.value else { Issue.record("no terms"); return }
        #expect(terms.count == 2)
    }
}

@Suite struct DateAndGeographyTests {
    @Test func civilDatesRoundTripAndKnowWeekdays() {
        let d = CivilDate(year: 2026, month: 11, day: 23)!
        #expect(d.weekday == 1)  // a Monday
        #expect(CivilDate(dayNumber: d.dayNumber) == d)
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(year: 2024, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2026, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2100, month: 2, day: 29) == nil)
        #expect(CivilDate(iso: "2026-1-05") == nil)
        #expect(d.adding(days: 40).description == "2027-01-02")
    }

    @Test func greatCircleDistanceMatchesKnownFigure() {
        // Liverpool Lime Street to Manchester Piccadilly: about 50 km as the crow flies.
        let liverpool = GeoPoint(latitude: 53.4076, longitude: -2.9778)
        let manchester = GeoPoint(latitude: 53.4774, longitude: -2.2309)
        let km = liverpool.kilometres(to: manchester)
        #expect(km > 49.5 && km < 50.5)
        var travel = TravelModel()
        travel.roadFactor = 1.25
        travel.averageSpeedKmh = 50
        #expect(abs(travel.minutes(from: liverpool, to: manchester) - km * 1.25 / 50 * 60) < 1e-9)
        #expect(abs(km - 50.07289231315477) < 1e-9)  // the haversine worked by hand (Python, the same formula)
        // Terms worked out once per point give the very same number (the checker ranks advisers by it).
        #expect(travel.minutes(from: liverpool.haversineTerms, to: manchester.haversineTerms) == travel.minutes(from: liverpool, to: manchester))
        #expect(GeoPoint.kilometres(from: manchester.haversineTerms, to: liverpool.haversineTerms) == manchester.kilometres(to: liverpool))
    }

    @Test func sha256MatchesPublishedVectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func closestMatchSuggestsTypos() {
        #expect(closestMatch(to: "litteracy", in: Rules.defaultAreas) == "literacy")
        #expect(closestMatch(to: "zzzzzzzz", in: Rules.defaultAreas) == nil)
    }
}
