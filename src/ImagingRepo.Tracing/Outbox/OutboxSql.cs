using System.Globalization;
using System.Text;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>Where an outbox batch stands (<c>batches.state</c>).</summary>
internal enum BatchState
{
    /// <summary>Prepared or sent, not yet seen on the ledger.</summary>
    Open = 0,

    /// <summary>Found on the ledger.</summary>
    Anchored = 1,

    /// <summary>Refused by the ledger.</summary>
    Failed = 2,
}

/// <summary>
/// The statements every outbox store runs (SQLite and PostgreSQL accept the same text; their schemas are the stores'
/// own). Statuses and batch states are written from <see cref="TraceStatus"/> and <see cref="BatchState"/>, never as
/// numbers typed into the SQL, so that the enums stay the one place they are defined.
/// </summary>
internal static class OutboxSql
{
    private static readonly string Waiting = Number(TraceStatus.Waiting);
    private static readonly string Submitted = Number(TraceStatus.Submitted);
    private static readonly string Anchored = Number(TraceStatus.Anchored);
    private static readonly string Failed = Number(TraceStatus.Failed);
    private static readonly string BatchOpen = Number(BatchState.Open);
    private static readonly string BatchAnchored = Number(BatchState.Anchored);
    private static readonly string BatchFailed = Number(BatchState.Failed);

    /// <summary>The columns of a <see cref="TraceRecord"/>, in the order <see cref="TraceRecordReader"/> reads them.</summary>
    public const string SelectColumns =
        "SELECT t.seq, t.json, t.status, t.message, t.recorded_ms, t.anchored_ms, t.batch_id, t.leaf_index, t.proof, " +
        "b.root, b.count, b.ledger, b.ledger_batch, b.anchor_ref, b.position, t.canonical_form";

    /// <summary>Every record with its batch; a WHERE clause may follow.</summary>
    public const string SelectRecords = SelectColumns + " FROM traces t LEFT JOIN batches b ON b.id = t.batch_id";

    /// <summary>A record by trace id (<c>@id</c>).</summary>
    public const string SelectRecordById = SelectRecords + " WHERE t.id = @id";

    /// <summary>Traces per status.</summary>
    public const string CountByStatus = "SELECT status, COUNT(*) FROM traces GROUP BY status";

    /// <summary>The stored canonical JSON of a trace id (<c>@id</c>) and the canonical form it is in.</summary>
    public const string SelectJsonById = "SELECT json, canonical_form FROM traces WHERE id = @id";

    /// <summary>
    /// <see cref="InsertTrace"/> without its <c>RETURNING</c> clause, for SQLite, where the new row's sequence number is the
    /// connection's last inserted rowid: SQLite buffers <c>RETURNING</c> rows in a temporary table and the provider reads
    /// them through a data reader, which together cost as much as the insert itself.
    /// </summary>
    public static readonly string InsertTraceWithoutReturning =
        "INSERT INTO traces (id, action, datasets, json, leaf, status, recorded_ms, canonical_form) " +
        $"VALUES (@i, @a, @d, @j, @l, {Waiting}, @t, @f) ON CONFLICT (id) DO NOTHING";

    /// <summary>
    /// Stores a trace as waiting, or nothing when its id is stored already; returns the new sequence number.
    /// Parameters: <c>@i</c> id, <c>@a</c> action, <c>@d</c> the '|'-joined dataset ids (exact unless an id
    /// holds '|': the outbox reads dataset ids through <see cref="StoredDatasetIds"/> and <c>trace_datasets</c>), <c>@j</c> JSON, <c>@l</c> leaf,
    /// <c>@t</c> recorded at, <c>@f</c> the canonical form of the JSON.
    /// </summary>
    public static readonly string InsertTrace = InsertTraceWithoutReturning + " RETURNING seq";

    /// <summary>
    /// One row of the trace-to-dataset index (<c>@ds</c>, <c>@seq</c>), unless it is there already: a trace put back to
    /// waiting is indexed again when it joins its next batch.
    /// </summary>
    public const string InsertTraceDataset = "INSERT INTO trace_datasets (dataset_id, trace_seq) VALUES (@ds, @seq) ON CONFLICT DO NOTHING";

    /// <summary>
    /// <paramref name="rows"/> rows of the trace-to-dataset index in one statement (<c>@ds0</c>, <c>@seq0</c>, <c>@ds1</c>, …).
    /// </summary>
    public static string InsertTraceDatasets(int rows)
    {
        var sql = new StringBuilder("INSERT INTO trace_datasets (dataset_id, trace_seq) VALUES ");
        for (var k = 0; k < rows; k++)
        {
            sql.Append(k == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@ds{k}, @seq{k})");
        }

        return sql.Append(" ON CONFLICT DO NOTHING").ToString();
    }

    /// <summary>Puts failed traces back to waiting.</summary>
    public static readonly string RetryFailed =
        $"UPDATE traces SET status = {Waiting}, message = NULL, batch_id = NULL, leaf_index = NULL, proof = NULL WHERE status = {Failed}";

    /// <summary>How many traces wait, and since when.</summary>
    public static readonly string CountWaiting = $"SELECT COUNT(*), MIN(recorded_ms) FROM traces WHERE status = {Waiting}";

    /// <summary>The oldest waiting traces' sequence numbers, leaves, canonical JSON and '|'-joined dataset ids (append the limit).</summary>
    public static readonly string SelectWaitingLeaves = $"SELECT seq, leaf, json, datasets FROM traces WHERE status = {Waiting} ORDER BY seq LIMIT ";

    /// <summary>A new open batch (<c>@root</c>, <c>@count</c>, <c>@now</c>); returns its id.</summary>
    public static readonly string InsertBatch =
        $"INSERT INTO batches (root, count, state, created_ms, attempts) VALUES (@root, @count, {BatchOpen}, @now, 0) RETURNING id";

    /// <summary>Moves a trace (<c>@seq</c>) into a batch (<c>@batch</c>) with its leaf index and inclusion path.</summary>
    public static readonly string SubmitTrace =
        $"UPDATE traces SET status = {Submitted}, batch_id = @batch, leaf_index = @index, proof = @proof WHERE seq = @seq";

    /// <summary>The batches not yet settled, oldest first.</summary>
    public static readonly string SelectOpenBatches =
        $"SELECT id, root, ticket_ref, ticket_payload, attempts FROM batches WHERE state = {BatchOpen} ORDER BY id";

    /// <summary>A batch's traces (<c>@batch</c>) in leaf order: id, action, and the canonical JSON and '|'-joined column that hold the dataset ids (<see cref="StoredDatasetIds"/>).</summary>
    public const string SelectBatchEntries = "SELECT id, action, json, datasets FROM traces WHERE batch_id = @batch ORDER BY leaf_index";

    /// <summary>Stores a batch's ledger ticket before it is sent.</summary>
    public const string SetTicket = "UPDATE batches SET ticket_ref = @ref, ticket_payload = @payload, attempts = attempts + 1 WHERE id = @id";

    /// <summary>Marks a batch anchored with where it is.</summary>
    public static readonly string MarkBatchAnchored =
        $"UPDATE batches SET state = {BatchAnchored}, ledger = @ledger, ledger_batch = @lb, anchor_ref = @ref, position = @pos, message = NULL WHERE id = @id";

    /// <summary>Marks a batch's traces anchored.</summary>
    public static readonly string MarkTracesAnchored = $"UPDATE traces SET status = {Anchored}, anchored_ms = @now, message = NULL WHERE batch_id = @id";

    /// <summary>Marks a batch failed with the ledger's message.</summary>
    public static readonly string MarkBatchFailed = $"UPDATE batches SET state = {BatchFailed}, message = @message WHERE id = @id";

    /// <summary>Marks a batch's traces failed with the ledger's message.</summary>
    public static readonly string MarkTracesFailed = $"UPDATE traces SET status = {Failed}, message = @message WHERE batch_id = @id";

    /// <summary>
    /// The SQL and parameters of <see cref="TraceOutbox.ListAsync"/> (the tests look at its query plan). A query by dataset
    /// reads the index for the traces in batches and the waiting traces beside it, in one statement and so one snapshot:
    /// a trace is indexed in the transaction that moves it into a batch, so it is in exactly one of the two (or, put
    /// back to waiting after a failure, in both: the caller drops the second row). The waiting side is found through
    /// <c>traces_status</c> and matched on the '|'-joined column, which cannot tell "a|b" from "a", "b" and, in SQLite,
    /// ignores ASCII case: the caller checks each row's dataset ids and asks again after the last row when that left
    /// the page short.
    /// </summary>
    public static (string Sql, List<(string Name, object Value)> Parameters) BuildListQuery(TraceListQuery query)
    {
        var parameters = new List<(string Name, object Value)> { ("@after", query.AfterSequence) };
        var filters = new StringBuilder();
        if (query.Status is { } status)
        {
            filters.Append(" AND t.status = @status");
            parameters.Add(("@status", (int)status));
        }

        if (query.Action is { } action)
        {
            filters.Append(" AND t.action = @action");
            parameters.Add(("@action", (int)action));
        }

        StringBuilder sql;
        if (query.DatasetId is { } dataset)
        {
            // Driven by the (dataset_id, trace_seq) primary key: the rows of one dataset, already in recording order
            // (d.trace_seq, not the equal t.seq, is the first column, so that the planner reads it in key order).
            sql = new StringBuilder(SelectColumns.Replace("SELECT t.seq,", "SELECT d.trace_seq,", StringComparison.Ordinal))
                .Append(" FROM trace_datasets d JOIN traces t ON t.seq = d.trace_seq LEFT JOIN batches b ON b.id = t.batch_id")
                .Append(" WHERE d.dataset_id = @dataset AND d.trace_seq > @after").Append(filters)
                .Append(" UNION ALL ").Append(SelectRecords)
                .Append(CultureInfo.InvariantCulture, $" WHERE t.status = {Waiting} AND t.seq > @after AND t.datasets LIKE @pattern ESCAPE '\\'").Append(filters)
                .Append(" ORDER BY 1 LIMIT ");
            parameters.Add(("@dataset", dataset));
            parameters.Add(("@pattern", "%|" + EscapeLike(dataset) + "|%"));
        }
        else
        {
            sql = new StringBuilder(SelectRecords).Append(" WHERE t.seq > @after").Append(filters).Append(" ORDER BY t.seq LIMIT ");
        }

        return (sql.Append(query.Limit).ToString(), parameters);
    }

    /// <summary><paramref name="text"/> as a literal inside a LIKE pattern whose escape character is a backslash.</summary>
    internal static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static string Number<T>(T value) where T : struct, Enum => Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
}
