DROP TABLE notice_reads;
DROP TABLE notices;
