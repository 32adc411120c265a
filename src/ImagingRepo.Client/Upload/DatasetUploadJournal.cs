using System.Text.Json;

namespace ImagingRepo.Client.Upload;

/// <summary>
/// The resumable journal of a <see cref="DatasetUploader"/> run: a JSON-lines file, one line per finished study (its
/// de-identified study folders and their series) and one for the creation operation once started. Each line is flushed
/// to disk before the run goes on, so a crash loses at most the study in progress; a torn last line is ignored.
/// </summary>
internal sealed class DatasetUploadJournal
{
    private readonly string _path;
    private readonly Dictionary<string, JournalStudy> _studies = new(StringComparer.Ordinal);

    private DatasetUploadJournal(string path) => _path = path;

    /// <summary>The finished studies, by source Study Instance UID.</summary>
    public IReadOnlyDictionary<string, JournalStudy> Studies => _studies;

    /// <summary>The creation operation (the dataset id), once started.</summary>
    public string? OperationId { get; private set; }

    /// <summary>Reads the journal at <paramref name="path"/> (none yet is an empty journal) and checks it belongs to the same key prefix.</summary>
    public static async Task<DatasetUploadJournal> OpenAsync(string path, string keyPrefix, CancellationToken cancellationToken)
    {
        var journal = new DatasetUploadJournal(Path.GetFullPath(path));
        if (!File.Exists(journal._path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(journal._path)!);
            await journal.AppendAsync(w => w.WriteString("prefix", keyPrefix), "start", cancellationToken).ConfigureAwait(false);
            return journal;
        }

        foreach (var line in await File.ReadAllLinesAsync(journal._path, cancellationToken).ConfigureAwait(false))
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue; // the torn last line of an interrupted write: that step is done again
            }

            using (document)
            {
                var entry = document.RootElement;
                switch (entry.GetProperty("kind").GetString())
                {
                    case "start" when entry.GetProperty("prefix").GetString() != keyPrefix:
                        throw new UploadJournalMismatchException(
                            $"the upload journal {journal._path} belongs to a run with another key prefix; give this run its own journal")
                        {
                            JournalPath = journal._path,
                        };
                    case "study":
                        var source = entry.GetProperty("source").GetString()!;
                        journal._studies[source] = new JournalStudy(source, entry.GetProperty("instances").GetInt32(), entry.GetProperty("quarantined").GetInt32(),
                            [.. entry.GetProperty("lake").EnumerateArray().Select(s => new JournalLakeStudy(
                                s.GetProperty("subject").GetString()!, s.GetProperty("study").GetString()!,
                                [.. s.GetProperty("series").EnumerateArray().Select(x => x.GetString()!)]))]);
                        break;
                    case "creation":
                        journal.OperationId = entry.GetProperty("operation").GetString();
                        break;
                }
            }
        }

        return journal;
    }

    /// <summary>Records a finished study.</summary>
    public Task RecordStudyAsync(JournalStudy study, CancellationToken cancellationToken)
    {
        _studies[study.Source] = study;
        return AppendAsync(w =>
        {
            w.WriteString("source", study.Source);
            w.WriteNumber("instances", study.Instances);
            w.WriteNumber("quarantined", study.Quarantined);
            w.WriteStartArray("lake");
            foreach (var lake in study.Lake)
            {
                w.WriteStartObject();
                w.WriteString("subject", lake.Subject);
                w.WriteString("study", lake.Study);
                w.WriteStartArray("series");
                foreach (var series in lake.Series) w.WriteStringValue(series);
                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }, "study", cancellationToken);
    }

    /// <summary>Records the started creation.</summary>
    public Task RecordOperationAsync(string operationId, CancellationToken cancellationToken)
    {
        OperationId = operationId;
        return AppendAsync(w => w.WriteString("operation", operationId), "creation", cancellationToken);
    }

    private async Task AppendAsync(Action<Utf8JsonWriter> write, string kind, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", kind);
            write(writer);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
        }
    }
}

/// <summary>A finished study in the journal.</summary>
internal sealed record JournalStudy(string Source, int Instances, int Quarantined, IReadOnlyList<JournalLakeStudy> Lake);

/// <summary>A de-identified study folder in the lake: <c>prefix/Subject/Study</c> with its series folders.</summary>
internal sealed record JournalLakeStudy(string Subject, string Study, IReadOnlyList<string> Series);
