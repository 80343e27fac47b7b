/// Whether every school can have a lead at once, each adviser leading at most their `places`: a bipartite
/// b-matching, found by augmenting paths. When it cannot, the schools reached from an unled school by
/// alternating paths are a group whose possible leads are all full (Hall's condition fails there): that group
/// is what a programme manager has to change, so it is what the answer gives.
///
/// It is a necessary condition only: it ignores the budget and the days the schools' needs take. Used by the
/// solver to refuse, before any search, a scenario whose leads cannot fit, and by `generate` to make sure
/// its scenarios are never such.
public struct LeadMatching: Sendable {
    /// A group of schools that can be led only by `advisers`, who have fewer places than there are schools.
    public struct Shortfall: Sendable, Equatable {
        /// Indices of the schools, ascending.
        public var schools: [Int]
        /// Indices of every adviser who may lead one of them, ascending.
        public var advisers: [Int]
        /// Leads those advisers can take in all.
        public var places: Int
    }

    /// The adviser leading each school, or nil where none could.
    public private(set) var leadOf: [Int?]
    /// Groups that cannot all be led, apart from one another (no adviser in two), in order of their first school.
    /// Each group's schools exceed its places by the number of them left without a lead.
    public private(set) var shortfalls: [Shortfall] = []

    /// - Parameters:
    ///   - options: for each school, the advisers who may lead it.
    ///   - places: for each adviser, how many schools they may lead (at least 0).
    public init(options: [[Int]], places: [Int]) {
        let schoolCount = options.count, adviserCount = places.count
        leadOf = Array(repeating: nil, count: schoolCount)
        var led = [[Int]](repeating: [], count: adviserCount)
        // Schools with the fewest options first: the greedy start then leaves few to augment.
        let order = (0..<schoolCount).sorted { (options[$0].count, $0) < (options[$1].count, $1) }
        for school in order {
            if let adviser = options[school].first(where: { led[$0].count < places[$0] }) {
                leadOf[school] = adviser
                led[adviser].append(school)
            }
        }
        // Breadth-first alternating paths from each school still without a lead; stamps avoid clearing arrays.
        // A search that fails leaves a closed group: its schools may be led only by its advisers, all full, and
        // those advisers lead only its schools. No later path can free a place there, so later searches skip
        // the group's advisers and only note that they reached it (a shared group is one shortfall).
        var schoolSeen = [Int](repeating: -1, count: schoolCount), adviserSeen = [Int](repeating: -1, count: adviserCount)
        var reachedFrom = [Int](repeating: -1, count: adviserCount)
        var groupOfAdviser = [Int](repeating: -1, count: adviserCount)
        var parentGroup: [Int] = []
        func root(_ group: Int) -> Int {
            var g = group
            while parentGroup[g] != g { g = parentGroup[g] }
            return g
        }
        var groupSchools: [[Int]] = [], groupAdvisers: [[Int]] = []
        var queue: [Int] = [], reachedGroups: [Int] = []
        for start in 0..<schoolCount where leadOf[start] == nil {
            queue.removeAll(keepingCapacity: true)
            reachedGroups.removeAll(keepingCapacity: true)
            var seenAdvisers: [Int] = []
            queue.append(start)
            schoolSeen[start] = start
            var head = 0
            var free: Int? = nil
            search: while head < queue.count {
                let school = queue[head]
                head += 1
                for adviser in options[school] where adviserSeen[adviser] != start {
                    adviserSeen[adviser] = start
                    if groupOfAdviser[adviser] >= 0 { reachedGroups.append(groupOfAdviser[adviser]); continue }
                    seenAdvisers.append(adviser)
                    reachedFrom[adviser] = school
                    if led[adviser].count < places[adviser] { free = adviser; break search }
                    for other in led[adviser] where schoolSeen[other] != start {
                        schoolSeen[other] = start
                        queue.append(other)
                    }
                }
            }
            if var adviser = free {
                // Each school on the path moves to the adviser that reached it; the start takes the last place freed.
                while true {
                    let school = reachedFrom[adviser]
                    let previous = leadOf[school]
                    if let previous { led[previous].removeAll { $0 == school } }
                    leadOf[school] = adviser
                    led[adviser].append(school)
                    guard let previous else { break }
                    adviser = previous
                }
            } else {
                let group = parentGroup.count
                parentGroup.append(group)
                groupSchools.append(queue)
                groupAdvisers.append(seenAdvisers)
                for a in seenAdvisers { groupOfAdviser[a] = group }
                for reached in reachedGroups { parentGroup[root(reached)] = group }
            }
        }
        var members = [Int: (schools: [Int], advisers: [Int])]()
        for group in parentGroup.indices {
            let r = root(group)
            members[r, default: ([], [])].schools += groupSchools[group]
            members[r, default: ([], [])].advisers += groupAdvisers[group]
        }
        shortfalls = members.values.map { group in
            let advisers = group.advisers.sorted()
            return Shortfall(schools: group.schools.sorted(), advisers: advisers, places: advisers.reduce(0) { $0 + places[$1] })
        }.sorted { $0.schools[0] < $1.schools[0] }
    }

    /// Whether every school has a lead.
    public var everySchoolLed: Bool { shortfalls.isEmpty }
}
