// A third-party float client: Eigen's rank decisions with their default
// thresholds (Eigen 3.4: FullPivLU, ColPivHouseholderQR and JacobiSVD, each
// rank() with no setThreshold, i.e. the decomposition's own default).
//
// Reads matrices from stdin until end of input, each "m n" followed by m*n
// row-major doubles (written as hex floats by scripts/score-clients, so they
// arrive exactly); prints one line per matrix:
//   fullpivlu R1 colpivqr R2 jacobisvd R3
// Exit 2 on malformed input. An m x 0 or 0 x n matrix has rank 0.
#include <Eigen/Dense>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

int main()
{
    long m, n;
    while (std::cin >> m >> n) {
        if (m < 0 || n < 0) return 2;
        Eigen::MatrixXd A(m, n);
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) {
                std::string t;
                if (!(std::cin >> t)) return 2;
                char *end = nullptr;
                A(i, j) = std::strtod(t.c_str(), &end);
                if (end == t.c_str() || *end != '\0') return 2;
            }
        long r1 = 0, r2 = 0, r3 = 0;
        if (m > 0 && n > 0) {
            r1 = Eigen::FullPivLU<Eigen::MatrixXd>(A).rank();
            r2 = Eigen::ColPivHouseholderQR<Eigen::MatrixXd>(A).rank();
            r3 = Eigen::JacobiSVD<Eigen::MatrixXd>(A).rank();
        }
        std::printf("fullpivlu %ld colpivqr %ld jacobisvd %ld\n", r1, r2, r3);
    }
    if (!std::cin.eof()) return 2;
    return 0;
}
