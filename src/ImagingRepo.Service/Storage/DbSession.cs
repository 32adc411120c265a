using System.Data.Common;

namespace ImagingRepo.Service.Storage;

/// <summary>One connection (and, for writes, its transaction) that repositories run their statements on.</summary>
internal sealed class DbSession(DbConnection connection, DbTransaction? transaction, Database database)
{
    private List<Func<DbSession, CancellationToken, Task>>? _beforeCommit;

    /// <summary>The database the session belongs to (for its dialect).</summary>
    public Database Database { get; } = database;

    /// <summary>
    /// Runs <paramref name="step"/> once, as the transaction's last statement before it commits, however often it is
    /// asked for. A row every writer changes (a version counter) is then locked only for the commit, after every other
    /// lock the transaction takes, so two writers can never wait for each other in a cycle.
    /// </summary>
    /// <exception cref="InvalidOperationException">The session has no transaction (it was opened to read).</exception>
    public void BeforeCommit(Func<DbSession, CancellationToken, Task> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (transaction is null) throw new InvalidOperationException("a write needs a session with a transaction (Database.InTransactionAsync)");
        _beforeCommit ??= [];
        if (!_beforeCommit.Contains(step)) _beforeCommit.Add(step);
    }

    /// <summary>Runs the steps <see cref="BeforeCommit"/> collected, in the order they were first asked for.</summary>
    internal async Task RunBeforeCommitAsync(CancellationToken cancellationToken)
    {
        if (_beforeCommit is null) return;
        foreach (var step in _beforeCommit) await step(this, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, IEnumerable<KeyValuePair<string, object?>>? parameters, CancellationToken cancellationToken)
    {
        await using var command = Create(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a statement with the parameters given as name/value pairs.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ExecuteAsync(sql, parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)), cancellationToken);

    /// <summary>The first column of the first row, or null.</summary>
    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Create(sql, parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Maps every row of a query.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, IEnumerable<KeyValuePair<string, object?>>? parameters, CancellationToken cancellationToken)
    {
        await using var command = Create(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(map(reader));
        return rows;
    }

    /// <summary>Maps every row of a query with the parameters given as name/value pairs.</summary>
    public Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        QueryAsync(sql, map, parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)), cancellationToken);

    /// <summary>The first row mapped, or default when there is none.</summary>
    public async Task<T?> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var rows = await QueryAsync(sql, map, cancellationToken, parameters).ConfigureAwait(false);
        return rows.Count == 0 ? default : rows[0];
    }

    private DbCommand Create(string sql, IEnumerable<KeyValuePair<string, object?>>? parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        if (parameters is not null)
        {
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value ?? DBNull.Value;
                command.Parameters.Add(parameter);
            }
        }

        return command;
    }
}
