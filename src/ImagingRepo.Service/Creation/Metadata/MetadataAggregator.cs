namespace ImagingRepo.Service.Creation.Metadata;

/// <summary>Sums the studies of a dataset up into its <see cref="DatasetMetadata"/>.</summary>
internal static class MetadataAggregator
{
    public static DatasetMetadata Aggregate(IReadOnlyList<CreatedStudy> studies, long eformsBytes)
    {
        var subjects = new HashSet<string>(StringComparer.Ordinal);
        var sex = new Counter();
        var diagnosis = new Counter();
        var bodyPart = new Counter();
        var modality = new Counter();
        var manufacturer = new Counter();
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        PatientAge? low = null, high = null;
        int ageNulls = 0, yearNulls = 0;
        int? yearLow = null, yearHigh = null;
        var bytes = eformsBytes;

        foreach (var study in studies)
        {
            var m = study.Metadata;
            subjects.Add(study.SubjectName);
            bytes += study.SizeInBytes;
            if (m.Age is { } age)
            {
                if (low is null || age.InDays < low.Value.InDays) low = age;
                if (high is null || age.InDays > high.Value.InDays) high = age;
            }
            else
            {
                ageNulls++;
            }

            if (m.DiagnosisYear is { } year)
            {
                yearLow = Math.Min(yearLow ?? year, year);
                yearHigh = Math.Max(yearHigh ?? year, year);
            }
            else
            {
                yearNulls++;
            }

            sex.Add(DatasetMetadata.SexToMiabis(m.Sex));
            diagnosis.Add(m.Diagnosis ?? DatasetMetadata.Unknown);
            bodyPart.AddEach(m.BodyParts);
            modality.AddEach(m.Modalities);
            manufacturer.AddEach(m.Manufacturers);
            foreach (var series in study.Series) tags.UnionWith(series.Tags);
        }

        return new DatasetMetadata
        {
            StudiesCount = studies.Count,
            SubjectsCount = subjects.Count,
            AgeLow = low,
            AgeHigh = high,
            AgeNullCount = ageNulls,
            Sex = sex.ToList(),
            Diagnosis = diagnosis.ToList(),
            BodyPart = bodyPart.ToList(),
            Modality = modality.ToList(),
            Manufacturer = manufacturer.ToList(),
            DiagnosisYearLow = yearLow,
            DiagnosisYearHigh = yearHigh,
            DiagnosisYearNullCount = yearNulls,
            SeriesTags = [.. tags],
            SizeInBytes = bytes,
        };
    }

    /// <summary>Counts in first-seen order; <see cref="DatasetMetadata.Unknown"/> goes last.</summary>
    private sealed class Counter
    {
        private readonly List<string> _order = [];
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public void Add(string value)
        {
            if (_counts.TryGetValue(value, out var n))
            {
                _counts[value] = n + 1;
            }
            else
            {
                _counts[value] = 1;
                _order.Add(value);
            }
        }

        /// <summary>One count per distinct value of a study; none at all counts as Unknown.</summary>
        public void AddEach(IReadOnlyList<string> values)
        {
            if (values.Count == 0) Add(DatasetMetadata.Unknown);
            foreach (var value in values) Add(value);
        }

        public List<ValueCount> ToList()
        {
            var list = _order.Where(v => v != DatasetMetadata.Unknown).Select(v => new ValueCount(v, _counts[v])).ToList();
            if (_counts.TryGetValue(DatasetMetadata.Unknown, out var unknown)) list.Add(new ValueCount(DatasetMetadata.Unknown, unknown));
            return list;
        }
    }
}
