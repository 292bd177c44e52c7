// Fixtures each own a database, so they run side by side; tests inside a fixture share it and run in order.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
