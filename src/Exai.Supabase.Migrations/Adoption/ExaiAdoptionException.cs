namespace Exai.Supabase.Migrations.Adoption;

/// <summary>
/// Adoption of a legacy EX-AI database stopped. The step that was running was rolled back; steps committed before it
/// stand, and running adoption again resumes where it stopped. A blocked adoption (see
/// <see cref="AdoptionPlan.Blockers"/>) changed nothing.
/// </summary>
public sealed class ExaiAdoptionException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ExaiAdoptionException()
        : this("Adoption of the legacy EX-AI database stopped.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ExaiAdoptionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ExaiAdoptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
