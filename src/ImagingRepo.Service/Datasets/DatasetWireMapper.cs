namespace ImagingRepo.Service.Datasets;

/// <summary>Turns stored datasets and studies into their v1 JSON shapes.</summary>
internal static class DatasetWireMapper
{
    /// <summary>UTC with a 'Z', as the v1 examples write times.</summary>
    public static DateTime Utc(DateTimeOffset time) => DateTime.SpecifyKind(time.UtcDateTime, DateTimeKind.Utc);

    public static DatasetDetailsWire ToDetails(DatasetRecord d, bool showAuthorEmail, IReadOnlyList<string> editable, IReadOnlyList<string> actions)
    {
        var m = DatasetMetadata.FromJson(d.Metadata);
        return new DatasetDetailsWire
        {
            Id = d.Id,
            Name = d.Name,
            Version = d.Version,
            Project = d.Project,
            Subproject = d.Subproject,
            PreviousId = d.PreviousId,
            NextId = d.NextId,
            AuthorId = d.AuthorId,
            AuthorName = d.AuthorName,
            AuthorEmail = showAuthorEmail ? d.AuthorEmail : null,
            CreationDate = Utc(d.CreationDate),
            Description = d.Description,
            Tags = d.Tags,
            Provenance = d.Provenance,
            Purpose = d.Purpose,
            Type = d.Types,
            CollectionMethod = d.CollectionMethods,
            License = new LicenseWire(d.LicenseTitle, d.LicenseUrl),
            Pids = new PidsWire(d.PidPreferred, new PidUrlsWire(d.PidZenodoDoi, d.PidCustom)),
            ContactInfo = d.ContactInfo,
            Draft = d.Draft,
            Creating = d.Draft ? d.Creating : null,
            Public = d.Public,
            PublicUse = d.Public && d.PublicUse,
            Invalidated = d.Invalidated,
            InvalidationReason = d.Invalidated ? d.InvalidationReason ?? "" : null,
            External = d.External,
            Corrupted = d.Corrupted,
            LastIntegrityCheck = d.LastIntegrityCheck is { } check ? Utc(check) : null,
            EditablePropertiesByTheUser = editable,
            AllowedActionsForTheUser = actions,
            StudiesCount = d.StudiesCount,
            SubjectsCount = d.SubjectsCount,
            AgeLow = m.AgeLow,
            AgeHigh = m.AgeHigh,
            AgeUnit = m.AgeUnit,
            AgeNullCount = m.AgeNullCount,
            Sex = m.Sex,
            SexCount = m.SexCount,
            Diagnosis = m.Diagnosis,
            DiagnosisCount = m.DiagnosisCount,
            BodyPart = m.BodyPart,
            BodyPartCount = m.BodyPartCount,
            Modality = m.Modality,
            ModalityCount = m.ModalityCount,
            Manufacturer = m.Manufacturer,
            ManufacturerCount = m.ManufacturerCount,
            DiagnosisYearLow = m.DiagnosisYearLow,
            DiagnosisYearHigh = m.DiagnosisYearHigh,
            DiagnosisYearNullCount = m.DiagnosisYearNullCount,
            SeriesTags = m.SeriesTags,
            SizeInBytes = d.SizeInBytes,
            TimesUsed = d.TimesUsed,
        };
    }

    /// <summary>A study for users: the link gets the user's name where the case explorer wants it (<c>&lt;USER&gt;</c>).</summary>
    public static StudyWire ToWire(StudyRecord s, string userName) =>
        new(s.StudyId, s.StudyName, s.SubjectName, s.Series, s.Url.Replace("<USER>", userName, StringComparison.Ordinal), s.SizeInBytes);
}
