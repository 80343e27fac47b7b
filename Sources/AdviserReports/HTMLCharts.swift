import AdviserModel
import AdviserSolver
import Foundation

/// The charts of the HTML report: inline SVG (viewBox, 100% wide) and a coloured table, no script.
enum HTMLCharts {
    static func esc(_ text: String) -> String { SensitivityView.xml(text) }
    static func f(_ x: Double) -> String { SensitivityView.f(x) }

    /// One colour per adviser (by their place in the plan), the same in the load chart, roster and map. Picked to
    /// stay apart from each other and from the red that marks unmet need; they repeat after twelve.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
                          "#17becf", "#bcbd22", "#393b79", "#637939", "#7b4173", "#525252"]
    static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// A share such as days used of capacity, in whole percent ("8%", not "8.05%"): the gap keeps Figures.percent.
    static func wholePercent(_ fraction: Double) -> String {
        abs(fraction) < 1e13 ? "\(Int((fraction * 100).rounded()))%" : Figures.outOfRange(fraction * 100) + "%"
    }

    // MARK: Load per adviser

    /// Days used of capacity, one bar per adviser, all on one scale so a longer bar is more capacity: visit days
    /// solid, travel lighter, capacity left as the empty frame; past capacity (never in a valid plan) in red.
    static func loadSection(_ plan: Plan) -> String {
        struct Load { var visit: Double; var travel: Double; var schools: Int }
        let byAdviser = Dictionary(grouping: plan.assignments, by: \.adviser)
        let loads = plan.advisers.map { adviser -> Load in
            let mine = byAdviser[adviser.id] ?? []
            let visit = mine.reduce(0) { $0 + $1.visitDays }
            let used = mine.reduce(0) { $0 + $1.capacityDays }
            return Load(visit: visit, travel: max(0, used - visit), schools: mine.count)
        }
        let scale = max(1e-9, zip(plan.advisers, loads).map { max($0.capacityDays, $1.visit + $1.travel) }.max() ?? 1)
        var h = "<section id=\"load\">\n<h2>Adviser load</h2>\n"
        h += "<p class=\"note\">Days of each adviser's capacity used over the programme, travel included. One scale for everyone: a longer frame is more capacity.</p>\n"
        h += "<div class=\"legend\"><span><span class=\"swatch\" style=\"background:#555\"></span>visit days</span>"
        h += "<span><span class=\"swatch\" style=\"background:#555;opacity:.4\"></span>travel</span>"
        h += "<span><span class=\"swatch\" style=\"background:#fff;border:1px solid #8a96a3\"></span>capacity left</span></div>\n"
        h += "<div class=\"loads\">\n"
        for (index, (adviser, load)) in zip(plan.advisers, loads).enumerated() {
            let used = load.visit + load.travel
            let colour = colour(index)
            func x(_ days: Double) -> Double { days / scale * 1000 }
            let share = adviser.capacityDays > 0 ? " (\(wholePercent(used / adviser.capacityDays)))" : ""
            let label = "\(adviser.id) \(adviser.name): \(Figures.days(load.visit)) visit days + \(Figures.days(load.travel)) travel = \(Figures.days(used)) of \(Figures.days(adviser.capacityDays)) days\(share); \(load.schools) of \(adviser.maxSchools) schools"
            var svg = "<svg viewBox=\"0 0 1000 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"\(esc(label))\"><title>\(esc(label))</title>"
            svg += "<rect x=\"0\" y=\"1\" width=\"\(f(x(adviser.capacityDays)))\" height=\"18\" fill=\"#ffffff\" stroke=\"#8a96a3\" vector-effect=\"non-scaling-stroke\"/>"
            let visitWidth = min(x(load.visit), x(adviser.capacityDays))
            svg += "<rect x=\"0\" y=\"2\" width=\"\(f(visitWidth))\" height=\"16\" fill=\"\(colour)\"/>"
            let travelEnd = min(x(used), x(adviser.capacityDays))
            if travelEnd > visitWidth {
                svg += "<rect x=\"\(f(visitWidth))\" y=\"2\" width=\"\(f(travelEnd - visitWidth))\" height=\"16\" fill=\"\(colour)\" fill-opacity=\"0.4\"/>"
            }
            if used > adviser.capacityDays + 1e-9 {
                svg += "<rect x=\"\(f(x(adviser.capacityDays)))\" y=\"2\" width=\"\(f(x(used) - x(adviser.capacityDays)))\" height=\"16\" fill=\"#d62728\"/>"
            }
            svg += "</svg>"
            var who = "<span class=\"swatch\" style=\"background:\(colour)\"></span><strong>\(esc(adviser.id))</strong> \(esc(adviser.name))"
            if !adviser.role.isEmpty { who += " <span class=\"role\">\(esc(adviser.role))</span>" }
            h += "<div class=\"lrow\"><div class=\"who\" title=\"\(esc(adviser.name + (adviser.role.isEmpty ? "" : " (\(adviser.role))")))\">\(who)</div>\(svg)"
            h += "<div class=\"fig\"><strong>\(Figures.days(used))</strong> of \(Figures.days(adviser.capacityDays)) days\(esc(share))</div></div>\n"
        }
        h += "</div>\n</section>\n\n"
        return h
    }

    /// A small pair of bars for the what-if table: before in grey, after in blue.
    static func beforeAfterBars(_ before: Double, _ after: Double, scale: Double) -> String {
        let w = { (d: Double) in f(max(0, d) / scale * 160) }
        return "<svg class=\"ba\" viewBox=\"0 0 160 16\" aria-hidden=\"true\"><rect x=\"0\" y=\"1\" width=\"\(w(before))\" height=\"6\" fill=\"#a7b1bc\"/>"
            + "<rect x=\"0\" y=\"9\" width=\"\(w(after))\" height=\"6\" fill=\"#1f77b4\"/></svg>"
    }

    // MARK: Visits by week

    /// Months down, weeks across (each week, Monday to Friday, belongs to the month of its Wednesday), each cell
    /// coloured by the number of visits that week: where the programme's work falls, and its holidays.
    static func calendarSection(_ plan: Plan) -> String {
        var h = "<section id=\"calendar\">\n<h2>Visits by week</h2>\n"
        guard let firstVisit = plan.visits.map(\.date).min(), let lastVisit = plan.visits.map(\.date).max() else {
            return h + "<p>This plan has no dated visits: solve the scenario again to schedule them.</p>\n</section>\n\n"
        }
        let first = min(plan.scenario.start ?? firstVisit, firstVisit), last = max(plan.scenario.end ?? lastVisit, lastVisit)
        func monday(_ d: CivilDate) -> CivilDate { d.adding(days: 1 - d.weekday) }
        var perWeek: [Int: Int] = [:]
        for v in plan.visits { perWeek[monday(v.date).dayNumber, default: 0] += 1 }
        let most = perWeek.values.max() ?? 1
        func level(_ n: Int) -> Int { n == 0 ? 0 : min(5, max(1, Int((Double(n) / Double(most) * 5).rounded(.up)))) }

        // Rows of (month, Mondays), in date order.
        var rows: [(year: Int, month: Int, mondays: [CivilDate])] = []
        var week = monday(first)
        while week <= last {
            let wednesday = week.adding(days: 2)
            if let row = rows.last, row.year == wednesday.year, row.month == wednesday.month {
                rows[rows.count - 1].mondays.append(week)
            } else {
                rows.append((wednesday.year, wednesday.month, [week]))
            }
            week = week.adding(days: 7)
        }
        let columns = rows.map(\.mondays.count).max() ?? 5

        h += "<p class=\"note\">Visits dated in each week (Monday to Friday), the week's Monday in small type. Empty weeks are usually school holidays. Busiest week: \(most) visit\(most == 1 ? "" : "s").</p>\n"
        h += "<div class=\"legend\"><span>fewer "
        for k in 1...5 { h += "<span class=\"swatch h\(k)\"></span>" }
        h += "more visits</span><span><span class=\"swatch h0\"></span>none</span></div>\n"
        h += "<div class=\"table-wrap\"><table class=\"heat\">\n<thead><tr><th scope=\"col\">month</th>"
        for c in 1...columns { h += "<th scope=\"col\">week \(c)</th>" }
        h += "<th scope=\"col\" class=\"num\">visits</th></tr></thead>\n<tbody>\n"
        for row in rows {
            h += "<tr><th scope=\"row\">\(ScheduleReport.monthNames[row.month - 1]) \(row.year)</th>"
            var total = 0
            for monday in row.mondays {
                let n = perWeek[monday.dayNumber] ?? 0
                total += n
                let mark = monday.month == row.month ? "\(monday.day)" : "\(monday.day) \(ScheduleReport.monthNames[monday.month - 1])"
                let tip = "week of Mon \(HTMLReport.shortDate(monday)): \(n) visit\(n == 1 ? "" : "s")"
                h += "<td class=\"h\(level(n))\" title=\"\(esc(tip))\"><span class=\"wc\">\(mark)</span><b>\(n == 0 ? "·" : String(n))</b></td>"
            }
            for _ in row.mondays.count..<columns { h += "<td></td>" }
            h += "<td class=\"num\">\(total)</td></tr>\n"
        }
        h += "</tbody></table></div>\n</section>\n\n"
        return h
    }

    // MARK: Map

    /// Schools and advisers' bases on a simple map (equirectangular, longitude scaled by the cosine of the middle
    /// latitude, so distances look right at this scale), with each school joined to its lead adviser.
    static func mapSection(_ plan: Plan) -> String {
        var h = "<section id=\"map\" class=\"map\">\n<h2>Map</h2>\n"
        struct Place { var id: String; var label: String; var lat: Double; var lon: Double }
        let schools = plan.schools.compactMap { s -> Place? in
            guard let lat = s.latitude, let lon = s.longitude else { return nil }
            return Place(id: s.id, label: s.name, lat: lat, lon: lon)
        }
        let advisers = plan.advisers.compactMap { a -> Place? in
            guard let lat = a.homeLatitude, let lon = a.homeLongitude else { return nil }
            return Place(id: a.id, label: a.name, lat: lat, lon: lon)
        }
        let all = schools + advisers
        guard let minLat = all.map(\.lat).min(), let maxLat = all.map(\.lat).max(),
              let minLon = all.map(\.lon).min(), let maxLon = all.map(\.lon).max() else {
            return h + "<p>This plan file has no coordinates (it was written by an earlier version of adviser-planner): solve the scenario again to draw the map.</p>\n</section>\n\n"
        }
        let k = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max((maxLon - minLon) * k, 0.01), spanY = max(maxLat - minLat, 0.01)
        let width = 640.0, pad = 44.0, bottom = 40.0
        let height = min(760, max(320, (width - 2 * pad) * spanY / spanX + pad + bottom))
        let s = min((width - 2 * pad) / spanX, (height - pad - bottom) / spanY)
        let ox = pad + ((width - 2 * pad) - spanX * s) / 2, oy = pad + ((height - pad - bottom) - spanY * s) / 2
        func project(_ p: Place) -> (x: Double, y: Double) { (ox + (p.lon - minLon) * k * s, oy + (maxLat - p.lat) * s) }

        var adviserIndex: [String: Int] = [:]
        for (i, a) in plan.advisers.enumerated() where adviserIndex[a.id] == nil { adviserIndex[a.id] = i }
        var adviserAt: [String: (x: Double, y: Double)] = [:]
        for a in advisers { adviserAt[a.id] = project(a) }
        var leadOf: [String: String] = [:]
        for a in plan.assignments where a.role == .lead { leadOf[a.school] = a.adviser }
        let unmetSchools = Set(plan.unmet.map(\.school))

        var svg = "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"system-ui, sans-serif\" role=\"img\" aria-labelledby=\"map-title\">"
        svg += "<title id=\"map-title\">Map of \(schools.count) schools and \(advisers.count) advisers' bases, each school joined to its lead adviser</title>"
        svg += "<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#f7f9fb\"/>"
        // Lead pairings first, under the markers.
        for school in schools {
            guard let lead = leadOf[school.id], let from = adviserAt[lead] else { continue }
            let to = project(school)
            svg += "<line x1=\"\(f(from.x))\" y1=\"\(f(from.y))\" x2=\"\(f(to.x))\" y2=\"\(f(to.y))\" stroke=\"\(colour(adviserIndex[lead] ?? 0))\" stroke-width=\"2\" stroke-opacity=\"0.7\"/>"
        }
        // Bases under the schools: in a peer network an adviser lives at a school, which then shows inside the square.
        let marker = 10.0
        for a in advisers {
            let p = project(a)
            let tip = "\(a.id) \(a.label): base"
            svg += "<rect x=\"\(f(p.x - marker))\" y=\"\(f(p.y - marker))\" width=\"\(f(2 * marker))\" height=\"\(f(2 * marker))\" fill=\"\(colour(adviserIndex[a.id] ?? 0))\" stroke=\"#111111\" stroke-width=\"1.5\"><title>\(esc(tip))</title></rect>"
        }
        for school in schools {
            let p = project(school)
            let lead = leadOf[school.id]
            let fill = lead.flatMap { adviserIndex[$0] }.map(colour) ?? "#ffffff"
            var tip = "\(school.id) \(school.label)"
            if let lead { tip += ": lead \(lead) \(plan.adviser(lead)?.name ?? "")" } else { tip += ": no lead adviser" }
            if unmetSchools.contains(school.id) {
                tip += "; unmet need"
                svg += "<circle cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"11\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2.5\"/>"
            }
            svg += "<circle class=\"s\" cx=\"\(f(p.x))\" cy=\"\(f(p.y))\" r=\"7\" fill=\"\(fill)\" stroke=\"#333333\" stroke-width=\"1\"><title>\(esc(tip))</title></circle>"
        }
        // Labels last, on top, each placed where it overlaps least.
        let obstacles = schools.map { p -> Box in let c = project(p); return Box(x: c.x - 8, y: c.y - 8, w: 16, h: 16) }
            + advisers.map { p -> Box in let c = project(p); return Box(x: c.x - marker, y: c.y - marker, w: 2 * marker, h: 2 * marker) }
        let labels = placeLabels(advisers.map { (text: $0.id, at: project($0)) }, marker: marker, obstacles: obstacles,
                                 bounds: Box(x: 0, y: 0, w: width, h: height))
        for label in labels {
            svg += "<text x=\"\(f(label.x))\" y=\"\(f(label.y))\" text-anchor=\"\(label.anchor)\" dominant-baseline=\"\(label.baseline)\" fill=\"#111111\">\(esc(label.text))</text>"
        }
        // Scale bar: about a fifth of the width, in a round number of km (1 degree of latitude is 111.32 km).
        let pixelsPerKm = s / 111.32
        let km = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].last { $0 * pixelsPerKm <= width / 5 } ?? 0.5
        let barY = height - 16
        svg += "<path d=\"M\(f(pad)) \(f(barY - 5))V\(f(barY))H\(f(pad + km * pixelsPerKm))V\(f(barY - 5))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.5\"/>"
        svg += "<text class=\"scale\" x=\"\(f(pad + km * pixelsPerKm + 8))\" y=\"\(f(barY))\" fill=\"#333333\">\(Figures.days(km)) km</text>"
        svg += "</svg>"

        h += svg + "\n"
        h += "<div class=\"legend\"><span>● school, coloured by its lead adviser</span><span>■ adviser's base</span><span>— lead pairing</span><span><span class=\"swatch\" style=\"background:#fff;border:2px solid #d62728;border-radius:50%\"></span>school with unmet need</span></div>\n"
        let missing = (plan.schools.count - schools.count) + (plan.advisers.count - advisers.count)
        if missing > 0 { h += "<p class=\"note\">\(missing) school\(missing == 1 ? "" : "s") or adviser\(missing == 1 ? "" : "s") without coordinates in the plan file are not drawn.</p>\n" }
        h += "<p class=\"note\">Straight lines, not roads. Colours match the load chart and the roster.</p>\n"
        return h + "</section>\n\n"
    }

    struct Box {
        var x, y, w, h: Double
        func overlaps(_ o: Box) -> Bool { x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h }
        func inside(_ o: Box) -> Bool { x >= o.x && y >= o.y && x + w <= o.x + o.w && y + h <= o.y + o.h }
    }

    struct PlacedLabel { var text: String; var x: Double; var y: Double; var anchor: String; var baseline: String }

    /// Greedy placement: right, left, above or below the marker, whichever overlaps fewest markers and labels
    /// already placed (ties in that order). Boxes are sized for the phone font (24 units), the largest used, so
    /// labels that clear each other there clear each other on a desktop too.
    static func placeLabels(_ items: [(text: String, at: (x: Double, y: Double))], marker: Double, obstacles: [Box], bounds: Box) -> [PlacedLabel] {
        let font = 24.0, gap = 4.0
        var placed: [Box] = []
        var out: [PlacedLabel] = []
        for item in items {
            let w = Double(item.text.count) * font * 0.62 + 4, hgt = font
            let (x, y) = item.at
            let d = marker + gap
            let candidates: [(Box, PlacedLabel)] = [
                (Box(x: x + d, y: y - hgt / 2, w: w, h: hgt), PlacedLabel(text: item.text, x: x + d, y: y, anchor: "start", baseline: "central")),
                (Box(x: x - d - w, y: y - hgt / 2, w: w, h: hgt), PlacedLabel(text: item.text, x: x - d, y: y, anchor: "end", baseline: "central")),
                (Box(x: x - w / 2, y: y - d - hgt, w: w, h: hgt), PlacedLabel(text: item.text, x: x, y: y - d, anchor: "middle", baseline: "auto")),
                (Box(x: x - w / 2, y: y + d, w: w, h: hgt), PlacedLabel(text: item.text, x: x, y: y + d, anchor: "middle", baseline: "hanging")),
            ]
            var best = 0, bestScore = Int.max
            for (i, (box, _)) in candidates.enumerated() {
                var score = placed.filter(box.overlaps).count * 10 + obstacles.filter(box.overlaps).count
                if !box.inside(bounds) { score += 100 }
                if score < bestScore { best = i; bestScore = score }
            }
            placed.append(candidates[best].0)
            out.append(candidates[best].1)
        }
        return out
    }
}
