namespace ImagingRepo.Service.Datasets;

/// <summary>
/// The lifecycle of a dataset as DESIGN.md draws it: Draft → Released → Published ↔ Released; any state → Invalidated
/// ↔ reactivated (back to the state its other flags give). The flags stay the wire format; the state is derived.
/// </summary>
internal enum DatasetState
{
    /// <summary>Being created or waiting to be released by its author.</summary>
    Draft,

    /// <summary>Released: usable by its project, citable, no longer editable in its content.</summary>
    Released,

    /// <summary>Released and public: visible to everyone.</summary>
    Published,

    /// <summary>Withdrawn from use, whatever the other flags say.</summary>
    Invalidated,
}

/// <summary>Derives <see cref="DatasetState"/> from the flags.</summary>
internal static class DatasetStates
{
    public static DatasetState Of(DatasetRecord dataset) =>
        dataset.Invalidated ? DatasetState.Invalidated
        : dataset.Draft ? DatasetState.Draft
        : dataset.Public ? DatasetState.Published
        : DatasetState.Released;
}
