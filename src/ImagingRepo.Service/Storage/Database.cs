using System.Data;
using System.Data.Common;

namespace ImagingRepo.Service.Storage;

/// <summary>
/// The metadata database: connections and transactions, with the few differences between SQLite and PostgreSQL
/// named here so that the repositories write one SQL text for both.
/// </summary>
internal abstract class Database : IAsyncDisposable
{
    /// <summary>Which kind of database this is.</summary>
    public abstract StorageProvider Provider { get; }

    /// <summary>
    /// Appended to a SELECT that reads a row the transaction will change: PostgreSQL locks the row; SQLite needs nothing
    /// because its write transactions (BEGIN IMMEDIATE) already exclude each other.
    /// </summary>
    public string ForUpdate => Provider == StorageProvider.PostgreSql ? " FOR UPDATE" : "";

    /// <summary>
    /// Appended to a text sort key so that it sorts by code point whatever the database's collation: PostgreSQL's
    /// <c>"C"</c> collation compares the UTF-8 bytes, which is SQLite's default (BINARY) and the order the service's
    /// in-memory dataset list uses, so every path lists in the same order.
    /// </summary>
    public string CodePointOrder => Provider == StorageProvider.PostgreSql ? " COLLATE \"C\"" : "";

    /// <summary>Opens a connection (pooled).</summary>
    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns and rolled back when it throws.</summary>
    public async Task<T> InTransactionAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        var session = new DbSession(connection, transaction, this);
        var result = await work(session).ConfigureAwait(false);
        await session.RunBeforeCommitAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs <paramref name="work"/> in one transaction (see <see cref="InTransactionAsync{T}"/>).</summary>
    public Task InTransactionAsync(Func<DbSession, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InTransactionAsync(async session =>
        {
            await work(session).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Runs read-only <paramref name="work"/> on one connection without an explicit transaction.</summary>
    public async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(new DbSession(connection, null, this)).ConfigureAwait(false);
    }

    /// <summary>Starts a write transaction.</summary>
    protected virtual async ValueTask<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
