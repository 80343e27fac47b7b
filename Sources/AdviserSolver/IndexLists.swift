/// Lists of indices by owner (the advisers of each school, ...) in one array: a list per owner would cost an
/// allocation and a header each, millions of them on a national model.
struct IndexLists {
    private let starts: [Int]
    private let items: [Int32]

    /// `entries` (owner, item) in any order; each owner's items keep the order they come in.
    init<Entries: Collection>(owners: Int, _ entries: Entries) where Entries.Element == (Int, Int) {
        var starts = [Int](repeating: 0, count: owners + 1)
        for (owner, _) in entries { starts[owner + 1] += 1 }
        for o in 0..<owners { starts[o + 1] += starts[o] }
        var next = starts
        var items = [Int32](repeating: 0, count: starts[owners])
        for (owner, item) in entries {
            items[next[owner]] = Int32(item)
            next[owner] += 1
        }
        self.starts = starts
        self.items = items
    }

    /// Each owner's list made by `list`, called once per owner in order.
    init(owners: Int, _ list: (Int) -> [Int]) {
        var starts = [0], items: [Int32] = []
        starts.reserveCapacity(owners + 1)
        for o in 0..<owners {
            items.append(contentsOf: list(o).lazy.map { Int32($0) })
            starts.append(items.count)
        }
        self.starts = starts
        self.items = items
    }

    var count: Int { starts.count - 1 }

    subscript(owner: Int) -> IndexList { IndexList(items: items[starts[owner]..<starts[owner + 1]]) }
}

/// One owner's list in `IndexLists`. Its indices are positions in the whole array, as a slice's are.
struct IndexList: RandomAccessCollection {
    fileprivate let items: ArraySlice<Int32>
    var startIndex: Int { items.startIndex }
    var endIndex: Int { items.endIndex }
    subscript(position: Int) -> Int { Int(items[position]) }
}
