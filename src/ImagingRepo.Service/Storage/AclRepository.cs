namespace ImagingRepo.Service.Storage;

/// <summary>The users a dataset's ACL names (<c>dataset_acl</c>), with their uid from <c>users</c>.</summary>
internal sealed class AclRepository
{
    public Task<List<(string? Uid, string Username)>> ListAsync(DbSession session, string datasetId, CancellationToken cancellationToken) =>
        session.QueryAsync(
            "SELECT u.uid, a.username FROM dataset_acl a LEFT JOIN users u ON u.username = a.username WHERE a.dataset_id = @dataset ORDER BY a.username",
            r => (r.IsDBNull(0) ? null : r.GetString(0), r.GetString(1)), cancellationToken, ("@dataset", datasetId));

    public async Task<bool> ContainsAsync(DbSession session, string datasetId, string username, CancellationToken cancellationToken) =>
        await session.ScalarAsync("SELECT 1 FROM dataset_acl WHERE dataset_id = @dataset AND username = @username", cancellationToken,
            ("@dataset", datasetId), ("@username", username)).ConfigureAwait(false) is not null;

    /// <summary>Adds the user unless present; true when added.</summary>
    public async Task<bool> AddAsync(DbSession session, string datasetId, string username, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("INSERT INTO dataset_acl (dataset_id, username) VALUES (@dataset, @username) ON CONFLICT DO NOTHING",
            cancellationToken, ("@dataset", datasetId), ("@username", username)).ConfigureAwait(false) > 0;

    public Task<int> RemoveAsync(DbSession session, string datasetId, string username, CancellationToken cancellationToken) =>
        session.ExecuteAsync("DELETE FROM dataset_acl WHERE dataset_id = @dataset AND username = @username", cancellationToken,
            ("@dataset", datasetId), ("@username", username));
}
